package io.gatehouse.config;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import io.gatehouse.support.TestAccounts;
import io.gatehouse.accounts.User;
import io.gatehouse.support.GatehouseHttpTest;
import io.gatehouse.support.ScriptClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CSRF over real HTTP with real sessions. The token is bound to the session: a cookie and a header that merely agree
 * (an attacker who can plant a cookie, from a sibling subdomain for instance, controls both) are not enough. The
 * {@code XSRF-TOKEN} cookie still hands the session's token to scripts and Swagger UI.
 */
@GatehouseHttpTest
class CsrfHttpTests {

	private static final String FORGED = "forged-" + UUID.randomUUID();

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Test
	void apiWriteWhenForgedCookieAndMatchingHeaderThen403AndNothingWritten() {
		ScriptClient session = signedIn();
		session.cookie("XSRF-TOKEN", FORGED);
		String name = "forged-" + UUID.randomUUID();

		HttpResponse<String> response = session.send("POST", "/api/1.0/groups", "application/json",
				"{\"name\": \"" + name + "\"}", "X-XSRF-TOKEN", FORGED);

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		assertThat(groupsNamed(name)).isZero();
	}

	@Test
	void apiWriteWhenTokenOfAnotherSessionThen403AndNothingWritten() {
		ScriptClient mine = signedIn();
		ScriptClient theirs = signedIn();
		String name = "cross-session-" + UUID.randomUUID();

		HttpResponse<String> response = mine.send("POST", "/api/1.0/groups", "application/json",
				"{\"name\": \"" + name + "\"}", "X-XSRF-TOKEN", String.valueOf(theirs.cookie("XSRF-TOKEN")));

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(groupsNamed(name)).isZero();
	}

	@Test
	void apiWriteWhenSessionTokenCopiedFromCookieIntoHeaderThen201() {
		ScriptClient session = signedIn();
		String name = "echoed-" + UUID.randomUUID();

		HttpResponse<String> response = session.json("POST", "/api/1.0/groups", "{\"name\": \"" + name + "\"}");

		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		assertThat(groupsNamed(name)).isOne();
	}

	@Test
	void apiWriteWhenNoHeaderThen403() {
		ScriptClient session = signedIn();
		String name = "no-header-" + UUID.randomUUID();

		HttpResponse<String> response = session.send("POST", "/api/1.0/groups", "application/json",
				"{\"name\": \"" + name + "\"}");

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(groupsNamed(name)).isZero();
	}

	@Test
	void consoleFormWhenForgedCookieAndMatchingFieldThen403AndNothingWritten() {
		ScriptClient session = signedIn();
		session.cookie("XSRF-TOKEN", FORGED);
		String name = "forged-form-" + UUID.randomUUID();

		// the field carries the forged value masked as Spring masks it (random bytes, then the token XOR them)
		for (String field : List.of(FORGED, masked(FORGED))) {
			HttpResponse<String> response = session.send("POST", "/admin/groups", "application/x-www-form-urlencoded",
					"name=" + name + "&description=&_csrf=" + field);

			assertThat(response.statusCode()).isEqualTo(403);
		}
		assertThat(groupsNamed(name)).isZero();
	}

	@Test
	void xsrfCookieWhenSignedInThenReadableByScriptsWithSameSiteLax() {
		ScriptClient session = signedIn();

		assertThat(session.lastSetCookie("XSRF-TOKEN")).satisfies(CsrfHttpTests::laxAndReadable);
	}

	@Test
	void xsrfCookieWhenStaleThenSentAgainWithTheSessionToken() {
		ScriptClient session = signedIn();
		session.cookie("XSRF-TOKEN", "stale");

		session.send("GET", "/", null, null);

		assertThat(session.cookie("XSRF-TOKEN")).isNotEqualTo("stale");
		assertThat(session.lastSetCookie("XSRF-TOKEN")).satisfies(CsrfHttpTests::laxAndReadable);
		String name = "resent-" + UUID.randomUUID();
		assertThat(session.json("POST", "/api/1.0/groups", "{\"name\": \"" + name + "\"}").statusCode())
			.isEqualTo(201);
	}

	@Test
	void apiReadWhenBearerOrAnonymousThenNoSessionIsCreated() {
		HttpResponse<String> anonymous = ScriptClient.to(port).send("GET", "/api/1.0/groups", null, null);

		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.headers().allValues("Set-Cookie")).isEmpty();

		User owner = TestAccounts.user().superAdmin().create(jdbc);
		ScriptClient session = ScriptClient.to(port).signIn(owner.username(), TestAccounts.PASSWORD);
		String token = tokenValue(session.json("POST", "/api/1.0/users/" + owner.id() + "/tokens",
				"{\"name\": \"bearer-" + UUID.randomUUID() + "\"}"));
		HttpResponse<String> bearer = ScriptClient.to(port).send("GET", "/api/1.0/groups", null, null,
				"Authorization", "Bearer " + token);

		assertThat(bearer.statusCode()).isEqualTo(200);
		assertThat(bearer.headers().allValues("Set-Cookie")).isEmpty();
	}

	private ScriptClient signedIn() {
		User user = TestAccounts.user().superAdmin().create(jdbc);
		ScriptClient client = ScriptClient.to(port).signIn(user.username(), TestAccounts.PASSWORD);
		assertThat(client.cookie("XSRF-TOKEN")).isNotBlank();
		return client;
	}

	private static void laxAndReadable(String setCookie) {
		assertThat(setCookie).containsIgnoringCase("SameSite=Lax").containsIgnoringCase("Path=/");
		assertThat(setCookie).doesNotContainIgnoringCase("HttpOnly");
	}

	private static String tokenValue(HttpResponse<String> created) {
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		return created.body().replaceFirst("(?s)^.*\"token\":\"([^\"]+)\".*$", "$1");
	}

	private static String masked(String token) {
		byte[] raw = token.getBytes(StandardCharsets.UTF_8);
		byte[] combined = new byte[raw.length * 2];
		// zero random bytes: the XOR leaves the token as it is
		System.arraycopy(raw, 0, combined, raw.length, raw.length);
		return Base64.getUrlEncoder().encodeToString(combined);
	}

	private long groupsNamed(String name) {
		return jdbc.sql("select count(*) from user_group where name = :name").param("name", name).query(Long.class)
			.single();
	}

}
