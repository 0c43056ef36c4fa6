package io.gatehouse.clients;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Storage for clients' secrets (table {@code auth_client_secret}, V40): hashes only. A client's secrets are read
 * through {@code auth_client_secret_client_idx}; the unique {@code auth_client_secret_hash_uk} keeps two secrets
 * from ever sharing a hash.
 */
@Repository
class JdbcClientSecretRepository {

	/** The most secrets the console and the API list for one client, newest first. */
	static final int LISTED = 100;

	private final JdbcClient jdbc;

	JdbcClientSecretRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(String clientId, ClientSecret secret, String hash) {
		jdbc.sql("""
				insert into auth_client_secret (id, client_id, secret_hash, label, created_at, expires_at)
				values (:id, :client, :hash, :label, :created, :expires)
				""")
			.param("id", secret.id())
			.param("client", clientId)
			.param("hash", hash)
			.param("label", secret.label())
			.param("created", utc(secret.createdAt()))
			.param("expires", utc(secret.expiresAt()))
			.update();
	}

	/** The client's secrets, newest first, revoked and expired ones included. */
	List<ClientSecret> list(String clientId) {
		return jdbc.sql("""
				select id, label, created_at, expires_at, last_used_at, revoked_at from auth_client_secret
				where client_id = :client order by created_at desc, id desc fetch first :limit rows only
				""")
			.param("client", clientId)
			.param("limit", LISTED)
			.query(JdbcClientSecretRepository::map)
			.list();
	}

	Optional<ClientSecret> find(String clientId, String secretId) {
		return jdbc.sql("""
				select id, label, created_at, expires_at, last_used_at, revoked_at from auth_client_secret
				where client_id = :client and id = :id
				""")
			.param("client", clientId)
			.param("id", secretId)
			.query(JdbcClientSecretRepository::map)
			.optional();
	}

	/** The secrets active at {@code now}, by hash: what the token endpoint accepts. */
	Map<String, ClientCredentials.ActiveSecret> active(String clientId, Instant now) {
		Map<String, ClientCredentials.ActiveSecret> secrets = new HashMap<>();
		jdbc.sql("""
				select id, secret_hash, expires_at from auth_client_secret
				where client_id = :client and revoked_at is null and (expires_at is null or expires_at > :now)
				""")
			.param("client", clientId)
			.param("now", utc(now))
			.query(rs -> {
				OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
				String hash = rs.getString("secret_hash");
				secrets.put(hash, new ClientCredentials.ActiveSecret(rs.getString("id"), hash,
						expires == null ? null : expires.toInstant()));
			});
		return secrets;
	}

	/** The active secrets kept until {@code until} at the latest (an earlier expiry stays); how many changed. */
	int expireActive(String clientId, Instant now, Instant until) {
		return jdbc.sql("""
				update auth_client_secret set expires_at = :until
				where client_id = :client and revoked_at is null and (expires_at is null or expires_at > :until)
				  and (expires_at is null or expires_at > :now)
				""")
			.param("client", clientId)
			.param("now", utc(now))
			.param("until", utc(until))
			.update();
	}

	/** Revokes every secret of the client still active at {@code now}; how many. */
	int revokeActive(String clientId, Instant now) {
		return jdbc.sql("""
				update auth_client_secret set revoked_at = :now
				where client_id = :client and revoked_at is null and (expires_at is null or expires_at > :now)
				""")
			.param("client", clientId)
			.param("now", utc(now))
			.update();
	}

	/** Revokes one secret; false when it was revoked already. */
	boolean revoke(String clientId, String secretId, Instant now) {
		return jdbc.sql("""
				update auth_client_secret set revoked_at = :now
				where client_id = :client and id = :id and revoked_at is null
				""")
			.param("client", clientId)
			.param("id", secretId)
			.param("now", utc(now))
			.update() == 1;
	}

	/** Records a use unless one was recorded less than a minute before (another node, or before a restart). */
	void recordUse(String secretId, Instant now) {
		jdbc.sql("""
				update auth_client_secret set last_used_at = :now
				where id = :id and (last_used_at is null or last_used_at < :minuteAgo)
				""")
			.param("id", secretId)
			.param("now", utc(now))
			.param("minuteAgo", utc(now.minusSeconds(60)))
			.update();
	}

	private static @Nullable OffsetDateTime utc(@Nullable Instant instant) {
		return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	private static ClientSecret map(ResultSet rs, int row) throws SQLException {
		return new ClientSecret(rs.getString("id"), rs.getString("label"),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(), instant(rs, "expires_at"),
				instant(rs, "last_used_at"), instant(rs, "revoked_at"));
	}

}
