package io.gatehouse.signing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.JWK;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code signing_key} table and the single-row {@code signing_key_lock} that serialises key creation. The
 * {@code jwk} column holds each key encrypted (see {@link SigningKeyCipher}); this class encrypts on the way in and
 * decrypts on the way out.
 */
@Repository
class JdbcSigningKeyRepository {

	private final JdbcClient jdbc;

	private final SigningKeyCipher cipher;

	JdbcSigningKeyRepository(JdbcClient jdbc, SigningKeyCipher cipher) {
		this.jdbc = jdbc;
		this.cipher = cipher;
	}

	List<SigningKey> findAll() {
		return jdbc.sql("""
				select kid, algorithm, jwk, created_at, activates_at, retires_at, expires_at
				from signing_key
				order by activates_at
				""").query(this::signingKey).list();
	}

	/**
	 * Re-encrypts every key that is not encrypted under the current key-encryption key: rows written before keys were
	 * encrypted (plain JWK JSON), and rows under a previous key-encryption key. Returns how many it rewrote. Run it
	 * under {@link #lockForKeyCreation()}, so two nodes starting at once do not both rewrite.
	 */
	int encryptUnderCurrentKey() {
		List<Map.Entry<String, String>> rows = jdbc.sql("select kid, jwk from signing_key")
			.query((rs, i) -> Map.entry(rs.getString("kid"), rs.getString("jwk")))
			.list();
		int rewritten = 0;
		for (Map.Entry<String, String> row : rows) {
			String kid = row.getKey();
			String stored = row.getValue();
			if (cipher.encryptedUnderCurrentKey(stored)) {
				continue;
			}
			JWK jwk = SigningKeyCipher.isPlainJwk(stored) ? parsePlain(kid, stored) : cipher.decrypt(kid, stored);
			jdbc.sql("update signing_key set jwk = :jwk where kid = :kid")
				.param("jwk", cipher.encrypt(kid, jwk))
				.param("kid", kid)
				.update();
			rewritten++;
		}
		return rewritten;
	}

	String keyEncryptionKeyId() {
		return cipher.currentKeyId();
	}

	/**
	 * Blocks until no other transaction holds the key-creation lock, then holds it until this transaction ends. Must
	 * run inside a transaction.
	 */
	void lockForKeyCreation() {
		jdbc.sql("select id from signing_key_lock where id = 1 for update").query(Integer.class).single();
	}

	void insert(SigningKey key) {
		jdbc.sql("""
				insert into signing_key (kid, algorithm, jwk, created_at, activates_at, retires_at, expires_at)
				values (:kid, :algorithm, :jwk, :createdAt, :activatesAt, :retiresAt, :expiresAt)
				""")
			.param("kid", key.kid())
			.param("algorithm", key.algorithm().name())
			.param("jwk", cipher.encrypt(key.kid(), key.jwk()))
			.param("createdAt", timestamp(key.createdAt()))
			.param("activatesAt", timestamp(key.activatesAt()))
			.param("retiresAt", timestamp(key.retiresAt()))
			.param("expiresAt", timestamp(key.expiresAt()))
			.update();
	}

	/** Sets when a key stops signing and leaves the JWKS, unless it already has a retirement. */
	void retire(String kid, Instant retiresAt, Instant expiresAt) {
		jdbc.sql("""
				update signing_key set retires_at = :retiresAt, expires_at = :expiresAt
				where kid = :kid and retires_at is null
				""")
			.param("kid", kid)
			.param("retiresAt", timestamp(retiresAt))
			.param("expiresAt", timestamp(expiresAt))
			.update();
	}

	/** Deletes keys that left the JWKS: no token signed with them can still be valid, so their private part goes. */
	int deleteExpired(Instant now) {
		return jdbc.sql("delete from signing_key where expires_at <= :now").param("now", timestamp(now)).update();
	}

	private SigningKey signingKey(ResultSet rs, int row) throws SQLException {
		String kid = rs.getString("kid");
		String algorithm = rs.getString("algorithm");
		return new SigningKey(kid,
				SigningAlgorithm.parse(algorithm)
					.orElseThrow(() -> new IllegalStateException(
							"Signing key " + kid + " has an unsupported algorithm " + algorithm)),
				cipher.decrypt(kid, rs.getString("jwk")), instant(rs, "created_at"), instant(rs, "activates_at"),
				nullableInstant(rs, "retires_at"), nullableInstant(rs, "expires_at"));
	}

	private static JWK parsePlain(String kid, String json) {
		try {
			return JWK.parse(json);
		}
		catch (ParseException ex) {
			throw new IllegalStateException("Signing key " + kid + " is not a readable JWK", ex);
		}
	}

	private static @Nullable OffsetDateTime timestamp(@Nullable Instant instant) {
		return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Instant value = nullableInstant(rs, column);
		if (value == null) {
			throw new IllegalStateException(column + " is null");
		}
		return value;
	}

	private static @Nullable Instant nullableInstant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

}
