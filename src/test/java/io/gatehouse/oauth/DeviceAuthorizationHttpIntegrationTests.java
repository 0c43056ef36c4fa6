package io.gatehouse.oauth;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.support.GatehouseHttpTest;
import io.gatehouse.support.TestAccounts;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device authorization grant (RFC 8628) over real HTTP: the client asks {@code /oauth/device_authorization} for
 * a device code and a user code, the signed-in user enters the code on {@code /device} and allows or denies, and the
 * device polls the token endpoint, answered per RFC 8628 3.5 until the user has answered.
 */
@GatehouseHttpTest
class DeviceAuthorizationHttpIntegrationTests {

	static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

	@LocalServerPort
	int port;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	IssuedSecret client;

	OAuthHttp http;

	OAuthHttp browser;

	User user;

	@BeforeEach
	void setUp() {
		client = clients.create(new AuthClientDraft("TV app " + UUID.randomUUID(), Set.of(GrantType.DEVICE_CODE),
				List.of()));
		http = new OAuthHttp(port, json);
		user = TestAccounts.user().username("device-" + UUID.randomUUID()).create(jdbc);
		browser = http.signIn(user.username(), TestAccounts.PASSWORD);
	}

	@Test
	void deviceAuthorizationWhenClientHasGrantThenCodesIntervalAndVerificationUris() {
		var response = deviceAuthorization(client);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode body = response.json();
		String userCode = body.get("user_code").asString();
		assertThat(userCode).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
		assertThat(body.get("device_code").asString()).hasSizeGreaterThan(40);
		assertThat(body.get("verification_uri").asString()).isEqualTo(http.base() + "/device");
		assertThat(body.get("verification_uri_complete").asString())
			.isEqualTo(http.base() + "/device?user_code=" + userCode);
		assertThat(body.get("expires_in").asLong()).isBetween(590L, 600L);
		assertThat(body.get("interval").asLong()).isEqualTo(5);
	}

	@Test
	void deviceAuthorizationWhenStoredThenOnlyHashesOfBothCodesAreKept() {
		JsonNode body = deviceAuthorization(client).json();
		List<String> stored = jdbc.sql("""
				select t.token_hash from oauth_token t join oauth_authorization a on a.id = t.authorization_id
				where a.client_id = :client and t.token_type in ('device_code', 'user_code') order by t.token_type
				""").param("client", client.client().id()).query(String.class).list();
		assertThat(stored).containsExactly(TokenHashes.of(body.get("device_code").asString()),
				TokenHashes.of(body.get("user_code").asString()));
	}

	@Test
	void deviceAuthorizationWhenClientLacksGrantThenUnauthorizedClientAndNothingStored() {
		IssuedSecret web = clients.create(new AuthClientDraft("Web " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of("https://app.example.com/cb")));
		var response = deviceAuthorization(web);
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("unauthorized_client");
		assertThat(jdbc.sql("select count(*) from oauth_authorization where client_id = :client")
			.param("client", web.client().id()).query(Long.class).single()).isZero();
	}

	@Test
	void deviceAuthorizationWhenSecretWrongThenInvalidClient() {
		var response = http.post("/oauth/device_authorization").basic(client.client().id(), "wrong")
			.form("scope", "api").send();
		assertThat(response.status()).as(response.toString()).isEqualTo(401);
		assertThat(response.error()).isEqualTo("invalid_client");
	}

	@Test
	void pollWhenUserHasNotAnsweredThenAuthorizationPending() {
		JsonNode codes = deviceAuthorization(client).json();
		var poll = poll(client, codes.get("device_code").asString());
		assertThat(poll.status()).as(poll.toString()).isEqualTo(400);
		assertThat(poll.error()).isEqualTo("authorization_pending");
	}

	@Test
	void pollWhenFasterThanIntervalThenSlowDownAndIntervalRaisedByFiveSeconds() {
		String deviceCode = deviceAuthorization(client).json().get("device_code").asString();
		assertThat(poll(client, deviceCode).error()).isEqualTo("authorization_pending");
		var second = poll(client, deviceCode);
		assertThat(second.status()).as(second.toString()).isEqualTo(400);
		assertThat(second.error()).isEqualTo("slow_down");
		assertThat(pollInterval(deviceCode)).isEqualTo(10);
		// waiting the old interval is no longer enough
		polledSecondsAgo(deviceCode, 6);
		assertThat(poll(client, deviceCode).error()).isEqualTo("slow_down");
		assertThat(pollInterval(deviceCode)).isEqualTo(15);
		polledSecondsAgo(deviceCode, 16);
		assertThat(poll(client, deviceCode).error()).isEqualTo("authorization_pending");
		assertThat(pollInterval(deviceCode)).isEqualTo(15);
	}

	@Test
	void pollWhenUserAllowedThenTokensForTheUserOnceOnly() {
		JsonNode codes = deviceAuthorization(client).json();
		String deviceCode = codes.get("device_code").asString();
		Document consent = enterCode(codes.get("user_code").asString());
		assertThat(consent.select("#client-name").text()).isEqualTo(client.client().name());
		assertThat(consent.select("#user-code").text()).isEqualTo(codes.get("user_code").asString());
		assertThat(consent.select("label:contains(Use the REST API as you)")).hasSize(1);
		var allowed = answer(consent, true);
		assertThat(allowed.status()).as(allowed.toString()).isEqualTo(302);
		assertThat(allowed.location()).endsWith("/device?approved");
		assertThat(browser.request("GET", "/device").query("approved").send().body())
			.contains("Device allowed");

		var tokens = poll(client, deviceCode);
		assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
		String accessToken = tokens.json().get("access_token").asString();
		assertThat(tokens.json().get("refresh_token").asString()).isNotBlank();
		var introspection = http.post("/oauth/introspect").basic(client.client().id(), client.secret())
			.form("token", accessToken).send().json();
		assertThat(introspection.get("active").asBoolean()).isTrue();
		assertThat(introspection.get("sub").asString()).isEqualTo(Long.toString(user.id()));
		assertThat(introspection.get("scope").asString()).isEqualTo("api");
		assertThat(jdbc.sql("select account_id from oauth_authorization where client_id = :client")
			.param("client", client.client().id()).query(Long.class).single()).isEqualTo(user.id());
		var api = http.request("GET", "/api/1.0/auth-clients").header("Authorization", "Bearer " + accessToken)
			.send();
		assertThat(api.status()).as(api.toString()).isNotEqualTo(401);

		// used up: Spring answers a used device code as it answers a denied one, and issues nothing more
		polledSecondsAgo(deviceCode, 60);
		var again = poll(client, deviceCode);
		assertThat(again.status()).as(again.toString()).isEqualTo(400);
		assertThat(again.error()).isEqualTo("access_denied");
		assertThat(jdbc.sql("""
				select count(*) from oauth_token t join oauth_authorization a on a.id = t.authorization_id
				where a.client_id = :client and t.token_type = 'access_token'
				""").param("client", client.client().id()).query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void pollWhenTwoPollsAfterApprovalArriveTogetherThenExactlyOneGetsTokens() throws Exception {
		JsonNode codes = deviceAuthorization(client).json();
		answer(enterCode(codes.get("user_code").asString()), true);
		String deviceCode = codes.get("device_code").asString();
		java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
		java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
		try {
			List<java.util.concurrent.Future<OAuthHttp.Response>> polls = new java.util.ArrayList<>();
			for (int i = 0; i < 2; i++) {
				polls.add(threads.submit(() -> {
					start.await();
					return poll(client, deviceCode);
				}));
			}
			List<Integer> statuses = new java.util.ArrayList<>();
			for (var poll : polls) {
				statuses.add(poll.get(30, java.util.concurrent.TimeUnit.SECONDS).status());
			}
			assertThat(statuses).containsExactlyInAnyOrder(200, 400);
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(jdbc.sql("""
				select count(*) from oauth_token t join oauth_authorization a on a.id = t.authorization_id
				where a.client_id = :client and t.token_type = 'access_token'
				""").param("client", client.client().id()).query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void pollWhenGrantDisabledMeanwhileThenUnauthorizedClientAndIssuedTokensRevoked() {
		JsonNode codes = deviceAuthorization(client).json();
		answer(enterCode(codes.get("user_code").asString()), true);
		String pendingCode = deviceAuthorization(client).json().get("device_code").asString();
		String accessToken = poll(client, codes.get("device_code").asString()).json().get("access_token").asString();
		clients.update(client.client().id(), null, new AuthClientDraft(client.client().name(),
				Set.of(GrantType.PASSWORD), List.of()));
		var poll = poll(client, pendingCode);
		assertThat(poll.status()).as(poll.toString()).isEqualTo(400);
		assertThat(poll.error()).isEqualTo("unauthorized_client");
		var introspection = http.post("/oauth/introspect").basic(client.client().id(), client.secret())
			.form("token", accessToken).send().json();
		assertThat(introspection.get("active").asBoolean()).isFalse();
	}

	@Test
	void withdrawConsentWhenDeviceWasAllowedThenItsTokensStop() {
		JsonNode codes = deviceAuthorization(client).json();
		answer(enterCode(codes.get("user_code").asString()), true);
		JsonNode tokens = poll(client, codes.get("device_code").asString()).json();
		Document applications = Jsoup.parse(browser.request("GET", "/profile/applications").send().body());
		assertThat(applications.text()).contains(client.client().name());
		var withdrawn = browser.post("/profile/applications/" + client.client().id() + "/withdraw")
			.form("_csrf", applications.select("input[name=_csrf]").first().val()).send();
		assertThat(withdrawn.status()).as(withdrawn.toString()).isEqualTo(302);
		var introspection = http.post("/oauth/introspect").basic(client.client().id(), client.secret())
			.form("token", tokens.get("access_token").asString()).send().json();
		assertThat(introspection.get("active").asBoolean()).isFalse();
		var refresh = http.post("/oauth/token").basic(client.client().id(), client.secret())
			.form("grant_type", "refresh_token", "refresh_token", tokens.get("refresh_token").asString()).send();
		assertThat(refresh.error()).isEqualTo("invalid_grant");
	}

	@Test
	void pollWhenUserDeniedThenAccessDeniedAndNoToken() {
		JsonNode codes = deviceAuthorization(client).json();
		var denied = answer(enterCode(codes.get("user_code").asString()), false);
		assertThat(denied.status()).as(denied.toString()).isEqualTo(302);
		assertThat(denied.location()).endsWith("/device?denied");
		var poll = poll(client, codes.get("device_code").asString());
		assertThat(poll.status()).as(poll.toString()).isEqualTo(400);
		assertThat(poll.error()).isEqualTo("access_denied");
		assertThat(jdbc.sql("""
				select count(*) from oauth_token t join oauth_authorization a on a.id = t.authorization_id
				where a.client_id = :client and t.token_type = 'access_token'
				""").param("client", client.client().id()).query(Long.class).single()).isZero();
	}

	@Test
	void pollWhenDeviceCodeExpiredThenExpiredToken() {
		String deviceCode = deviceAuthorization(client).json().get("device_code").asString();
		jdbc.sql("update oauth_token set issued_at = :issued, expires_at = :past where token_hash = :hash")
			.param("issued", OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(11))
			.param("past", OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1))
			.param("hash", TokenHashes.of(deviceCode))
			.update();
		var poll = poll(client, deviceCode);
		assertThat(poll.status()).as(poll.toString()).isEqualTo(400);
		assertThat(poll.error()).isEqualTo("expired_token");
	}

	@Test
	void pollWhenDeviceCodeOfAnotherClientThenInvalidGrant() {
		String deviceCode = deviceAuthorization(client).json().get("device_code").asString();
		IssuedSecret other = clients.create(new AuthClientDraft("Other TV " + UUID.randomUUID(),
				Set.of(GrantType.DEVICE_CODE), List.of()));
		var poll = poll(other, deviceCode);
		assertThat(poll.status()).as(poll.toString()).isEqualTo(400);
		assertThat(poll.error()).isEqualTo("invalid_grant");
	}

	@Test
	void enterCodeWhenUserCodeExpiredThenErrorShownAndNoConsentAsked() {
		String userCode = deviceAuthorization(client).json().get("user_code").asString();
		jdbc.sql("update oauth_token set issued_at = :issued, expires_at = :past where token_hash = :hash")
			.param("issued", OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(11))
			.param("past", OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1))
			.param("hash", TokenHashes.of(userCode))
			.update();
		var entered = browser.request("GET", "/device").query("user_code=" + userCode).send();
		assertThat(entered.status()).as(entered.toString()).isEqualTo(302);
		assertThat(entered.location()).endsWith("/device?error=invalid_code");
		assertThat(browser.request("GET", "/device").query("error=invalid_code").send().body())
			.contains("That code is not valid");
	}

	@Test
	void enterCodeWhenTypedInLowerCaseWithoutDashThenFound() {
		String userCode = deviceAuthorization(client).json().get("user_code").asString();
		var entered = browser.request("GET", "/device")
			.query("user_code=" + userCode.replace("-", "").toLowerCase(java.util.Locale.ROOT)).send();
		assertThat(entered.status()).as(entered.toString()).isEqualTo(302);
		assertThat(entered.location()).contains("/device/consent?");
	}

	@Test
	void enterCodeWhenTooManyWrongCodesThenEvenTheRightOneIsRefusedUnchecked() {
		String userCode = deviceAuthorization(client).json().get("user_code").asString();
		for (int i = 0; i < DeviceCodeThrottle.MAX_FAILURES; i++) {
			var wrong = browser.request("GET", "/device").query("user_code=BBBB-BBB" + "CDFGHJKLMN".charAt(i)).send();
			assertThat(wrong.location()).as("attempt " + i).endsWith("/device?error=invalid_code");
		}
		var right = browser.request("GET", "/device").query("user_code=" + userCode).send();
		assertThat(right.status()).as(right.toString()).isEqualTo(302);
		assertThat(right.location()).endsWith("/device?error=too_many_codes");
		assertThat(browser.request("GET", "/device").query("error=too_many_codes").send().body())
			.contains("Too many wrong codes");
		assertThat(jdbc.sql("select failures from device_code_throttle where account_id = :id")
			.param("id", user.id()).query(Integer.class).single()).isEqualTo(DeviceCodeThrottle.MAX_FAILURES);
		// another user is not held back by this one's guesses
		User other = TestAccounts.user().username("device-other-" + UUID.randomUUID()).create(jdbc);
		var fresh = http.signIn(other.username(), TestAccounts.PASSWORD).request("GET", "/device")
			.query("user_code=" + userCode).send();
		assertThat(fresh.location()).contains("/device/consent?");
	}

	@Test
	void enterCodeWhenManyWrongCodesArriveTogetherThenAtMostTheLimitAreChecked() throws Exception {
		int guesses = 2 * DeviceCodeThrottle.MAX_FAILURES;
		java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(guesses);
		java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(guesses);
		try {
			List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
			for (int i = 0; i < guesses; i++) {
				String code = "BBBB-BB" + "CDFGHJKLMN".charAt(i / 10) + "CDFGHJKLMN".charAt(i % 10);
				answers.add(threads.submit(() -> {
					start.await();
					return browser.request("GET", "/device").query("user_code=" + code).send().location();
				}));
			}
			List<String> locations = new java.util.ArrayList<>();
			for (var answer : answers) {
				locations.add(answer.get(60, java.util.concurrent.TimeUnit.SECONDS));
			}
			assertThat(locations).filteredOn(location -> location.endsWith("?error=invalid_code"))
				.hasSize(DeviceCodeThrottle.MAX_FAILURES);
			assertThat(locations).filteredOn(location -> location.endsWith("?error=too_many_codes"))
				.hasSize(guesses - DeviceCodeThrottle.MAX_FAILURES);
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void enterCodeWhenRightCodeThenItIsNotCountedAsWrong() {
		String userCode = deviceAuthorization(client).json().get("user_code").asString();
		enterCode(userCode);
		assertThat(jdbc.sql("select failures from device_code_throttle where account_id = :id")
			.param("id", user.id()).query(Integer.class).single()).isZero();
	}

	@Test
	void devicePageWhenSignedOutThenLoginFirst() {
		var page = http.request("GET", "/device").query("user_code=BBBB-CCCC").accept("text/html").send();
		assertThat(page.status()).as(page.toString()).isEqualTo(302);
		assertThat(page.location()).endsWith("/login");
	}

	@Test
	void completeUriWhenSignedOutThenLoginThenBackToTheQuestionForThatCode() {
		String userCode = deviceAuthorization(client).json().get("user_code").asString();
		OAuthHttp session = http.browser();
		var signedOut = session.request("GET", "/device").query("user_code=" + userCode).accept("text/html").send();
		assertThat(signedOut.status()).as(signedOut.toString()).isEqualTo(302);
		assertThat(signedOut.location()).endsWith("/login");
		// the same browser signs in and is sent back to its code, then on to the question
		String back = session.logIn(user.username(), TestAccounts.PASSWORD);
		assertThat(back).contains("/device?user_code=" + userCode);
		URI again = URI.create(back);
		var entered = session.request("GET", again.getRawPath()).query(again.getRawQuery()).send();
		assertThat(entered.status()).as(entered.toString()).isEqualTo(302);
		assertThat(entered.location()).contains("/device/consent?").contains("user_code=" + userCode);
	}

	@Test
	void devicePageWhenSignedInThenCodeFieldAndContinue() {
		Document page = Jsoup.parse(browser.request("GET", "/device").accept("text/html").send().body());
		assertThat(page.select("label[for=user_code]").text()).isEqualTo("Code");
		assertThat(page.select("button#continue").text()).isEqualTo("Continue");
	}

	@Test
	void discoveryWhenServedThenNamesDeviceEndpointAndGrant() {
		for (String path : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
			JsonNode metadata = http.request("GET", path).send().json();
			assertThat(metadata.get("device_authorization_endpoint").asString()).as(path)
				.isEqualTo(http.base() + "/oauth/device_authorization");
			assertThat(metadata.get("grant_types_supported").toString()).as(path).contains(DEVICE_GRANT);
		}
	}

	private OAuthHttp.Response deviceAuthorization(IssuedSecret as) {
		return http.post("/oauth/device_authorization").basic(as.client().id(), as.secret()).form("scope", "api")
			.send();
	}

	private OAuthHttp.Response poll(IssuedSecret as, String deviceCode) {
		return http.post("/oauth/token").basic(as.client().id(), as.secret())
			.form("grant_type", DEVICE_GRANT, "device_code", deviceCode).send();
	}

	/** As the signed-in user: enters the code on /device and returns the consent page it leads to. */
	private Document enterCode(String userCode) {
		var entered = browser.request("GET", "/device").query("user_code=" + userCode).accept("text/html").send();
		assertThat(entered.status()).as(entered.toString()).isEqualTo(302);
		URI consent = URI.create(entered.location());
		assertThat(consent.getRawPath()).isEqualTo("/device/consent");
		var page = browser.request("GET", consent.getRawPath()).query(consent.getRawQuery()).accept("text/html")
			.send();
		assertThat(page.status()).as(page.toString()).isEqualTo(200);
		return Jsoup.parse(page.body());
	}

	private OAuthHttp.Response answer(Document consent, boolean allow) {
		var form = consent.select(allow ? "#consent-form" : "#deny-form");
		List<String> fields = new java.util.ArrayList<>();
		form.select("input[type=hidden]").forEach(input -> {
			fields.add(input.attr("name"));
			fields.add(input.val());
		});
		if (allow) {
			form.select("input[name=scope][checked]").forEach(input -> {
				fields.add("scope");
				fields.add(input.val());
			});
		}
		return browser.post("/device").form(fields.toArray(String[]::new)).send();
	}

	private int pollInterval(String deviceCode) {
		return jdbc.sql("select poll_interval from oauth_token where token_hash = :hash")
			.param("hash", TokenHashes.of(deviceCode)).query(Integer.class).single();
	}

	private void polledSecondsAgo(String deviceCode, int seconds) {
		jdbc.sql("update oauth_token set polled_at = :at where token_hash = :hash")
			.param("at", OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(seconds))
			.param("hash", TokenHashes.of(deviceCode))
			.update();
	}

}
