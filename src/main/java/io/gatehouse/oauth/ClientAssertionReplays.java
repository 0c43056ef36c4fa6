package io.gatehouse.oauth;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.gatehouse.secrets.Secrets;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The client assertions already used (table {@code oauth_client_assertion}), so that each is accepted once
 * (RFC 7523 3, item 7) on every node: the first insert of a client's {@code jti} wins, any later one hits the primary
 * key. A row outlives its assertion only until the cleanup; a {@code jti} seen again after its earlier assertion
 * expired is taken over.
 */
@Repository
class ClientAssertionReplays {

	private final JdbcClient jdbc;

	ClientAssertionReplays(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records the use of an assertion; false when that client's {@code jti} is in use by an unexpired assertion.
	 * Outside any transaction, each statement commits on its own: a failed insert must not abort a surrounding
	 * PostgreSQL transaction.
	 */
	@Transactional(propagation = Propagation.NOT_SUPPORTED)
	public boolean firstUse(String clientId, String jti, Instant expiresAt, Instant now) {
		String hash = Secrets.sha256(jti);
		try {
			jdbc.sql("insert into oauth_client_assertion (client_id, jti_hash, expires_at) values (:c, :h, :e)")
				.param("c", clientId)
				.param("h", hash)
				.param("e", utc(expiresAt))
				.update();
			return true;
		}
		catch (DuplicateKeyException seen) {
			return jdbc.sql("""
					update oauth_client_assertion set expires_at = :e
					where client_id = :c and jti_hash = :h and expires_at < :now
					""")
				.param("c", clientId)
				.param("h", hash)
				.param("e", utc(expiresAt))
				.param("now", utc(now))
				.update() == 1;
		}
	}

	public int deleteExpired(Instant now) {
		return jdbc.sql("delete from oauth_client_assertion where expires_at < :now").param("now", utc(now)).update();
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}
