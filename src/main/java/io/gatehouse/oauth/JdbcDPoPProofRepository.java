package io.gatehouse.oauth;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The DPoP tables ({@code dpop_proof}, {@code dpop_nonce_key}, see V53): the {@code jti} of every accepted proof
 * (its SHA-256) until the proof is too old anyway, and the key of the server's nonces. Shared by every node.
 */
@Repository
class JdbcDPoPProofRepository {

	private final JdbcClient jdbc;

	JdbcDPoPProofRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records a proof's {@code jti}: true the first time, false when it was recorded before (by any node). One insert,
	 * decided by the primary key, so of two requests with the same proof at once exactly one gets true.
	 */
	boolean firstUse(String jtiHash, Instant expiresAt) {
		try {
			jdbc.sql("insert into dpop_proof (jti_hash, expires_at) values (:hash, :expires)")
				.param("hash", jtiHash)
				.param("expires", OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC))
				.update();
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/** Deletes the records of proofs that can no longer be accepted; returns how many. */
	int deleteExpired(OffsetDateTime now) {
		return jdbc.sql("delete from dpop_proof where expires_at < :now").param("now", now).update();
	}

	/** The nonce key; the first caller on any node stores {@code candidate}, every later one reads that one. */
	String nonceKey(String candidate) {
		Optional<String> stored = jdbc.sql("select secret from dpop_nonce_key where id = 1").query(String.class)
			.optional();
		if (stored.isPresent()) {
			return stored.get();
		}
		try {
			jdbc.sql("insert into dpop_nonce_key (id, secret) values (1, :secret)").param("secret", candidate)
				.update();
			return candidate;
		}
		catch (DuplicateKeyException ex) {
			// another node stored its key first
			return jdbc.sql("select secret from dpop_nonce_key where id = 1").query(String.class).single();
		}
	}

}
