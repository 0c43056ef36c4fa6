package io.gatehouse.signin;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import io.gatehouse.accounts.User;
import io.gatehouse.support.GatehouseHttpTest;
import io.gatehouse.support.ScriptClient;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Console sessions live in the database, not in the node's memory, so any node can serve a browser's next request:
 * here on the single-node H2, the same code path as on PostgreSQL.
 */
@GatehouseHttpTest
class DatabaseSessionsHttpTests {

	private static final String PASSWORD = "session password";

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Test
	void signInWhenSucceededThenTheSessionIsARowWithoutThePasswordOrItsHash() {
		User user = TestAccounts.user().username("row-" + UUID.randomUUID()).password(PASSWORD).create(jdbc);
		ScriptClient.to(port).signIn(user.username(), PASSWORD);

		List<String> sessions = jdbc.sql("select primary_id from spring_session where principal_name = :name")
			.param("name", user.username())
			.query(String.class)
			.list();
		assertThat(sessions).hasSize(1);
		String hash = jdbc.sql("select password_hash from account where id = :id")
			.param("id", user.id())
			.query(String.class)
			.single();
		List<byte[]> attributes = jdbc.sql("select attribute_bytes from spring_session_attributes "
				+ "where session_primary_id = :id")
			.param("id", sessions.get(0))
			.query((rs, row) -> rs.getBytes(1))
			.list();
		assertThat(attributes).isNotEmpty().allSatisfy(bytes -> assertThat(new String(bytes,
				StandardCharsets.ISO_8859_1)).doesNotContain(hash).doesNotContain(PASSWORD));
	}

	@Test
	void requestWhenTheSessionRowIsGoneThenSignedOut() {
		User user = TestAccounts.user().username("gone-" + UUID.randomUUID()).password(PASSWORD).create(jdbc);
		ScriptClient browser = ScriptClient.to(port).signIn(user.username(), PASSWORD);
		assertThat(browser.send("GET", "/profile", null, null).statusCode()).isEqualTo(200);

		// what another node's logout, or the expiry cleanup, does
		jdbc.sql("delete from spring_session where principal_name = :name").param("name", user.username()).update();

		assertThat(browser.send("GET", "/profile", null, null).headers().firstValue("Location").orElse(""))
			.endsWith("/login");
	}

	@Test
	void logoutWhenSignedInThenTheSessionRowIsDeleted() {
		User user = TestAccounts.user().username("out-" + UUID.randomUUID()).password(PASSWORD).create(jdbc);
		ScriptClient browser = ScriptClient.to(port).signIn(user.username(), PASSWORD);
		String csrf = org.jsoup.Jsoup.parse(browser.send("GET", "/profile", null, null).body())
			.select("input[name=_csrf]")
			.attr("value");

		browser.send("POST", "/logout", "application/x-www-form-urlencoded", "_csrf=" + csrf);

		assertThat(jdbc.sql("select count(*) from spring_session where principal_name = :name")
			.param("name", user.username())
			.query(Integer.class)
			.single()).isZero();
	}

}
