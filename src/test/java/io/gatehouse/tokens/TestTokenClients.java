package io.gatehouse.tokens;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Auth clients for token tests, written straight to the database: {@code TestTokenClients.client().create(jdbc)}. */
final class TestTokenClients {

	private String name = "Token client " + UUID.randomUUID();

	private boolean personalAccess = true;

	private TestTokenClients() {
	}

	static TestTokenClients client() {
		return new TestTokenClients();
	}

	TestTokenClients name(String name) {
		this.name = name;
		return this;
	}

	TestTokenClients withoutPersonalAccess() {
		this.personalAccess = false;
		return this;
	}

	/** Inserts the client and returns its id. */
	String create(JdbcClient jdbc) {
		String id = UUID.randomUUID().toString();
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		jdbc.sql("""
				insert into auth_client (id, name, name_key, secret_hash, authorization_code, password_grant,
				                         personal_access, redirect_uris, revoked, version, created_at, updated_at)
				values (:id, :name, :key, :hash, false, :password, :pat, '', false, 1, :now, :now)
				""")
			.param("id", id)
			.param("name", name)
			.param("key", name.trim().toLowerCase())
			.param("hash", "0".repeat(64))
			.param("password", !personalAccess)
			.param("pat", personalAccess)
			.param("now", now)
			.update();
		return id;
	}

	static void disablePersonalAccess(JdbcClient jdbc, String clientId) {
		jdbc.sql("update auth_client set personal_access = false, password_grant = true where id = :id")
			.param("id", clientId)
			.update();
	}

	static void delete(JdbcClient jdbc, String clientId) {
		jdbc.sql("update auth_client set revoked = true, name_key = null where id = :id").param("id", clientId).update();
	}

}
