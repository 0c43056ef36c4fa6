package io.gatehouse.clients;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
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

	private final NamedParameterJdbcTemplate batch;

	JdbcClientSecretRepository(JdbcClient jdbc, NamedParameterJdbcTemplate batch) {
		this.jdbc = jdbc;
		this.batch = batch;
	}

	private static final String INSERT = """
			insert into auth_client_secret (id, client_id, secret_hash, label, created_at, expires_at)
			values (:id, :client, :hash, :label, :created, :expires)
			""";

	/** A secret to store: the client's id, the secret (no value) and the SHA-256 of its value. */
	record Stored(String clientId, ClientSecret secret, String hash) {
	}

	void insert(String clientId, ClientSecret secret, String hash) {
		jdbc.sql(INSERT).params(parameters(new Stored(clientId, secret, hash))).update();
	}

	/** {@link #insert} of many secrets in JDBC batches. */
	void insertAll(List<Stored> secrets) {
		int size = JdbcAuthClientRepository.BATCH;
		for (int from = 0; from < secrets.size(); from += size) {
			batch.batchUpdate(INSERT, secrets.subList(from, Math.min(secrets.size(), from + size))
				.stream()
				.map(secret -> new MapSqlParameterSource(parameters(secret)))
				.toArray(SqlParameterSource[]::new));
		}
	}

	/** The hashes among {@code hashes} that a stored secret already has, in one query. */
	Set<String> storedHashes(Collection<String> hashes) {
		if (hashes.isEmpty()) {
			return Set.of();
		}
		return new HashSet<>(jdbc.sql("select secret_hash from auth_client_secret where secret_hash in (:hashes)")
			.param("hashes", hashes)
			.query(String.class)
			.list());
	}

	private static Map<String, @Nullable Object> parameters(Stored stored) {
		Map<String, @Nullable Object> parameters = new HashMap<>();
		parameters.put("id", stored.secret().id());
		parameters.put("client", stored.clientId());
		parameters.put("hash", stored.hash());
		parameters.put("label", stored.secret().label());
		parameters.put("created", utc(stored.secret().createdAt()));
		parameters.put("expires", utc(stored.secret().expiresAt()));
		return parameters;
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
