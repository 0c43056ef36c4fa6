package io.gatehouse.registration;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Table {@code client_registration}: which client a registration access token (by its SHA-256) manages. */
@Repository
class JdbcClientRegistrationRepository {

	private final JdbcClient jdbc;

	JdbcClientRegistrationRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(String clientId, String tokenHash, String initialAccessTokenId, Instant now) {
		jdbc.sql("""
				insert into client_registration (client_id, token_hash, initial_access_token_id, created_at)
				values (:client, :hash, :initial, :now)
				""")
			.param("client", clientId)
			.param("hash", tokenHash)
			.param("initial", initialAccessTokenId)
			.param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
			.update();
	}

	/** The client the token of this hash manages; empty for an unknown token. */
	Optional<String> clientOf(String tokenHash) {
		return jdbc.sql("select client_id from client_registration where token_hash = :hash")
			.param("hash", tokenHash)
			.query(String.class)
			.optional();
	}

	void delete(String clientId) {
		jdbc.sql("delete from client_registration where client_id = :client").param("client", clientId).update();
	}

}
