package io.gatehouse.oauth;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The token store's tables, and the only class that reads or writes them: {@code oauth_authorization}, a row per
 * grant, and {@code oauth_token}, a row per token it issued, keyed by the SHA-256 of the token's value (see V2). Every
 * statement is a primary-key or index hit: token hash; {@code (authorization_id, token_type)};
 * {@code (client_id, grant_type)}; {@code (account_id, client_id)}; {@code expires_at}. The JSON columns are written
 * and read by {@link AuthorizationJson}; nothing here parses them.
 */
@Repository
class JdbcAuthorizationRepository {

	/** The grant types a user consents to, whose grants end when the user withdraws consent. */
	private static final List<String> USER_GRANTS = List.of("authorization_code",
			"urn:ietf:params:oauth:grant-type:device_code");

	/** A token's row, as every insert of tokens writes it ({@link #tokenRow}). */
	private static final String INSERT_TOKEN = """
			insert into oauth_token (token_hash, authorization_id, token_type, issued_at, expires_at,
			                         invalidated_at, superseded, metadata, redirect_uri)
			values (:hash, :authorization, :type, :issued, :expires, :invalidatedAt, false, :metadata, :redirect)
			""";

	private final JdbcClient jdbc;

	private final NamedParameterJdbcTemplate batches;

	JdbcAuthorizationRepository(JdbcClient jdbc, NamedParameterJdbcTemplate batches) {
		this.jdbc = jdbc;
		this.batches = batches;
	}

	/**
	 * Inserts a new grant's row.
	 *
	 * @param parentId for a token exchange grant (RFC 8693), the grant of the subject token, which revokes it along
	 *        with itself; null for every other grant
	 */
	void insertAuthorization(AuthorizationRow grant, @Nullable Long accountId, @Nullable String parentId) {
		jdbc.sql("""
				insert into oauth_authorization (id, client_id, account_id, principal_name, grant_type, scopes,
				                                 attributes, created_at, parent_id)
				values (:id, :client, :account, :principal, :grant, :scopes, :attributes, :now, :parent)
				""")
			.param("parent", parentId, java.sql.Types.VARCHAR)
			.param("id", grant.id())
			.param("client", grant.clientId())
			.param("account", accountId)
			.param("principal", grant.principalName())
			.param("grant", grant.grantType())
			.param("scopes", grant.scopes())
			.param("attributes", grant.attributes())
			.param("now", now())
			.update();
	}

	/**
	 * Updates a stored grant's scopes and attributes, and its user once it has one (a device grant gets its user after
	 * it was stored): all that changes.
	 */
	void updateAuthorization(AuthorizationRow grant, @Nullable Long accountId) {
		jdbc.sql("""
				update oauth_authorization set scopes = :scopes, attributes = :attributes,
				    principal_name = :principal, account_id = coalesce(:account, account_id)
				where id = :id
				""")
			.param("scopes", grant.scopes())
			.param("attributes", grant.attributes())
			.param("principal", grant.principalName())
			.param("account", accountId, java.sql.Types.BIGINT)
			.param("id", grant.id())
			.update();
	}

	/** Inserts new tokens of a grant, all in one JDBC batch (one round trip). */
	void insertTokens(String authorizationId, List<StoredToken> tokens) {
		if (tokens.isEmpty()) {
			return;
		}
		OffsetDateTime now = now();
		batches.batchUpdate(INSERT_TOKEN, tokens.stream().map(token -> tokenRow(authorizationId, token, now))
			.toArray(MapSqlParameterSource[]::new));
	}

	/** Updates a stored token's metadata and invalidation (all that changes: a code's redirect URI is written once). */
	void updateToken(String authorizationId, StoredToken token) {
		jdbc.sql("""
				update oauth_token set metadata = :metadata,
				    invalidated_at = case when :invalidated then coalesce(invalidated_at, :now) else invalidated_at end
				where token_hash = :hash and authorization_id = :authorization
				""")
			.param("metadata", token.metadata())
			.param("invalidated", token.invalidated())
			.param("now", now())
			.param("hash", token.hash())
			.param("authorization", authorizationId)
			.update();
	}

	/** A new refresh token was issued: every other one of the grant is rotated away (kept for reuse detection). */
	void supersedeOtherRefreshTokens(String authorizationId, String currentHash) {
		jdbc.sql("""
				update oauth_token set superseded = true, invalidated_at = coalesce(invalidated_at, :now)
				where authorization_id = :id and token_type = 'refresh_token' and token_hash <> :current
				""")
			.param("now", now())
			.param("id", authorizationId)
			.param("current", currentHash)
			.update();
	}

	/**
	 * Uses up a single-use token (a refresh token rotating, a code being exchanged) under the grant's row lock.
	 * Returns 1, or 0 when another transaction used it first; the lock is held until this transaction ends.
	 *
	 * @throws org.springframework.dao.PessimisticLockingFailureException when the lock was not granted in time
	 */
	int claim(String authorizationId, String type, String hash) {
		// the grant's row first, in the same order as revokeAuthorization, so the two cannot deadlock
		jdbc.sql("select id from oauth_authorization where id = :id for update").param("id", authorizationId)
			.query(String.class).optional();
		return jdbc.sql("""
				update oauth_token set invalidated_at = :now,
				    superseded = case when token_type = 'refresh_token' then true else superseded end
				where token_hash = :hash and authorization_id = :id and token_type = :type
				  and superseded = false and invalidated_at is null
				""")
			.param("now", now())
			.param("hash", hash)
			.param("id", authorizationId)
			.param("type", type)
			.update();
	}

	/**
	 * Binds a request URI to the browser presenting it, unless another browser has it already: true when it is now
	 * (or was already) this browser's. One statement, so of two browsers that present it at once only one wins.
	 */
	boolean bindRequestUri(String hash, String userAgentHash) {
		return jdbc.sql("""
				update oauth_token set user_agent_hash = :userAgent
				where token_hash = :hash and token_type = 'request_uri'
				  and (user_agent_hash is null or user_agent_hash = :userAgent)
				""")
			.param("userAgent", userAgentHash)
			.param("hash", hash)
			.update() == 1;
	}

	/**
	 * Uses up a request URI: one conditional update, so of two requests that present it at once exactly one gets 1;
	 * the other waits for the first one's row lock and then finds it used.
	 */
	int claimRequestUri(String hash) {
		return jdbc.sql("""
				update oauth_token set invalidated_at = :now
				where token_hash = :hash and token_type = 'request_uri' and invalidated_at is null
				""")
			.param("now", now())
			.param("hash", hash)
			.update();
	}

	/**
	 * Whether a rotated refresh token may rotate once more: it was rotated at or after {@code since}, has not been
	 * given its second rotation yet, and its grant is not revoked.
	 */
	boolean withinGrace(String hash, OffsetDateTime since) {
		return jdbc.sql("""
				select count(*) from oauth_token t join oauth_authorization a on a.id = t.authorization_id
				where t.token_hash = :hash and t.token_type = 'refresh_token' and t.superseded = true
				  and t.grace_used = false and t.invalidated_at >= :since and a.revoked_at is null
				""")
			.param("hash", hash)
			.param("since", since)
			.query(Long.class)
			.single() > 0;
	}

	/**
	 * Gives a rotated refresh token its one more rotation, under the grant's row lock as {@link #claim}. Returns 1, or
	 * 0 when it was rotated before {@code since}, was given it already (another request got there first) or its grant
	 * was revoked.
	 */
	int claimGrace(String authorizationId, String hash, OffsetDateTime since) {
		jdbc.sql("select id from oauth_authorization where id = :id for update").param("id", authorizationId)
			.query(String.class).optional();
		return jdbc.sql("""
				update oauth_token set grace_used = true
				where token_hash = :hash and authorization_id = :id and token_type = 'refresh_token'
				  and superseded = true and grace_used = false and invalidated_at >= :since
				  and exists (select 1 from oauth_authorization a where a.id = :id and a.revoked_at is null)
				""")
			.param("hash", hash)
			.param("id", authorizationId)
			.param("since", since)
			.update();
	}

	void delete(String authorizationId) {
		jdbc.sql("delete from oauth_token where authorization_id = :id").param("id", authorizationId).update();
		jdbc.sql("delete from oauth_authorization where id = :id").param("id", authorizationId).update();
	}

	Optional<AuthorizationRow> findAuthorization(String id) {
		return jdbc.sql("""
				select id, client_id, principal_name, grant_type, scopes, attributes
				from oauth_authorization where id = :id
				""")
			.param("id", id)
			.query((rs, i) -> new AuthorizationRow(rs.getString("id"), rs.getString("client_id"),
					rs.getString("principal_name"), rs.getString("grant_type"), rs.getString("scopes"),
					rs.getString("attributes")))
			.optional();
	}

	/**
	 * The grant the token with this hash belongs to, with all the grant's tokens (oldest first, rotated-away refresh
	 * tokens included), in one statement: the token's primary key, the grant's, then the grant's tokens through
	 * {@code (authorization_id, token_type)}. The refresh grant's hot path; it was three round trips.
	 */
	Optional<LoadedGrant> findGrantByToken(String hash) {
		return grantWithTokens("""
				from oauth_token m
				join oauth_authorization a on a.id = m.authorization_id
				join oauth_token t on t.authorization_id = a.id
				where m.token_hash = :hash
				""", hash);
	}

	/** The grant with all its tokens as {@link #findGrantByToken}, by the grant's id; it may have no tokens. */
	Optional<LoadedGrant> findGrant(String id) {
		return grantWithTokens("""
				from oauth_authorization a
				left join oauth_token t on t.authorization_id = a.id
				where a.id = :hash
				""", id);
	}

	private Optional<LoadedGrant> grantWithTokens(String fromWhere, String key) {
		List<Object[]> rows = jdbc.sql("""
				select a.id, a.client_id, a.principal_name, a.grant_type, a.scopes, a.attributes,
				       t.token_hash, t.token_type, t.issued_at, t.expires_at, t.invalidated_at, t.superseded,
				       t.metadata, t.redirect_uri
				""" + fromWhere + " order by t.issued_at, t.token_hash")
			.param("hash", key)
			.query((rs, i) -> new Object[] {
					i == 0 ? new AuthorizationRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
							rs.getString(5), rs.getString(6)) : null,
					rs.getString(7) == null ? null : new StoredToken(rs.getString(7), rs.getString(8),
							rs.getObject(9, OffsetDateTime.class).toInstant(),
							instant(rs.getObject(10, OffsetDateTime.class)), rs.getObject(11) != null,
							rs.getBoolean(12), rs.getString(13), rs.getString(14)) })
			.list();
		if (rows.isEmpty()) {
			return Optional.empty();
		}
		List<StoredToken> tokens = new java.util.ArrayList<>(rows.size());
		for (Object[] row : rows) {
			if (row[1] != null) {
				tokens.add((StoredToken) row[1]);
			}
		}
		return Optional.of(new LoadedGrant((AuthorizationRow) rows.get(0)[0], tokens));
	}

	/**
	 * The grant of the access token with this hash, if it is one this server issued and still honours (not revoked):
	 * a primary-key read, and for a token exchange grant the primary-key read of the grant it hangs off.
	 */
	Optional<LiveGrant> findLiveAccessTokenGrant(String hash) {
		return jdbc.sql("""
				select t.authorization_id, a.parent_id, p.client_id as parent_client_id
				from oauth_token t
				join oauth_authorization a on a.id = t.authorization_id
				left join oauth_authorization p on p.id = a.parent_id
				where t.token_hash = :hash and t.token_type = 'access_token' and t.invalidated_at is null
				""").param("hash", hash)
			.query((rs, i) -> new LiveGrant(rs.getString("authorization_id"), rs.getString("parent_id"),
					rs.getString("parent_client_id")))
			.optional();
	}

	/** The grant a token exchange grant hangs off; empty for any other grant. */
	Optional<String> findParent(String authorizationId) {
		return jdbc.sql("select parent_id from oauth_authorization where id = :id and parent_id is not null")
			.param("id", authorizationId).query(String.class).optional();
	}

	/**
	 * Ends the token exchange grants that hang off this grant (RFC 8693: what was exchanged for a token goes with
	 * it); returns how many live tokens that ended.
	 */
	int revokeExchangedFrom(String authorizationId) {
		OffsetDateTime now = now();
		jdbc.sql("update oauth_authorization set revoked_at = :now where parent_id = :id and revoked_at is null")
			.param("now", now)
			.param("id", authorizationId)
			.update();
		return jdbc.sql("""
				update oauth_token set invalidated_at = :now
				where invalidated_at is null and token_type <> 'state'
				  and authorization_id in (select id from oauth_authorization where parent_id = :id)
				""").param("now", now).param("id", authorizationId).update();
	}

	/**
	 * Invalidates every token of the grant and of the token exchange grants that hang off it, and marks them revoked;
	 * returns how many live tokens that ended.
	 */
	int revokeAuthorization(String authorizationId) {
		OffsetDateTime now = now();
		jdbc.sql("update oauth_authorization set revoked_at = :now where id = :id and revoked_at is null")
			.param("now", now)
			.param("id", authorizationId)
			.update();
		int ended = jdbc.sql("""
				update oauth_token set invalidated_at = :now
				where authorization_id = :id and invalidated_at is null and token_type <> 'state'
				""").param("now", now).param("id", authorizationId).update();
		return ended + revokeExchangedFrom(authorizationId);
	}

	/**
	 * Ends the user's grants to the client through the grants the user consents to: the authorization code grant and
	 * the device authorization grant (the user allows on /device, recorded as a consent). Finds the grants through the
	 * {@code (account_id, client_id)} index and their tokens through {@code (authorization_id, token_type)}.
	 * Returns how many live tokens that ended.
	 */
	int revokeCodeGrants(String clientId, long accountId) {
		OffsetDateTime now = now();
		// the grants' rows before their tokens, in the same order as claim and revokeAuthorization: no deadlock
		jdbc.sql("""
				update oauth_authorization set revoked_at = :now
				where account_id = :account and client_id = :client and grant_type in (:grants)
				  and revoked_at is null
				""").param("now", now).param("account", accountId).param("client", clientId)
			.param("grants", USER_GRANTS).update();
		return jdbc.sql("""
				update oauth_token set invalidated_at = :now
				where invalidated_at is null and token_type <> 'state'
				  and authorization_id in (select id from oauth_authorization
				                           where account_id = :account and client_id = :client
				                             and grant_type in (:grants))
				""").param("now", now).param("account", accountId).param("client", clientId)
			.param("grants", USER_GRANTS).update()
				+ revokeExchangedFrom(clientId, accountId, USER_GRANTS, now);
	}

	/**
	 * Ends the token exchange grants hanging off the client's grants of these types (of one user, or of all when
	 * {@code accountId} is null); returns how many live tokens that ended. Their parents were revoked just before.
	 */
	private int revokeExchangedFrom(String clientId, @Nullable Long accountId, Collection<String> grantTypes,
			OffsetDateTime now) {
		String parents = """
				select id from oauth_authorization
				where client_id = :client and grant_type in (:grants)
				""" + (accountId == null ? "" : " and account_id = :account");
		jdbc.sql("update oauth_authorization set revoked_at = :now where revoked_at is null and parent_id in ("
				+ parents + ")")
			.param("now", now).param("client", clientId).param("grants", List.copyOf(grantTypes))
			.param("account", accountId, java.sql.Types.BIGINT).update();
		return jdbc.sql("""
				update oauth_token set invalidated_at = :now
				where invalidated_at is null and token_type <> 'state' and (expires_at is null or expires_at > :now)
				  and authorization_id in (select c.id from oauth_authorization c where c.parent_id in (""" + parents
				+ "))")
			.param("now", now).param("client", clientId).param("grants", List.copyOf(grantTypes))
			.param("account", accountId, java.sql.Types.BIGINT).update();
	}

	/** The client's live tokens and pending codes, by the grant type of their grant (the stored value). */
	Map<String, Long> countLiveByGrantType(String clientId) {
		return jdbc.sql("""
				select a.grant_type, count(*) as live from oauth_authorization a
				join oauth_token t on t.authorization_id = a.id
				where a.client_id = :client and t.token_type <> 'state' and t.invalidated_at is null
				  and (t.expires_at is null or t.expires_at > :now)
				group by a.grant_type
				""")
			.param("client", clientId)
			.param("now", now())
			.query((rs, i) -> Map.entry(rs.getString("grant_type"), rs.getLong("live")))
			.list()
			.stream()
			.collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	/** Ends the client's grants of these grant types and their live tokens; returns how many tokens that ended. */
	int revokeByGrantTypes(String clientId, Collection<String> grantTypes) {
		OffsetDateTime now = now();
		// the grants' rows before their tokens, in the same order as claim and revokeAuthorization: no deadlock
		jdbc.sql("""
				update oauth_authorization set revoked_at = :now
				where client_id = :client and grant_type in (:grants) and revoked_at is null
				""").param("now", now).param("client", clientId).param("grants", List.copyOf(grantTypes)).update();
		return jdbc.sql("""
				update oauth_token set invalidated_at = :now
				where invalidated_at is null and token_type <> 'state' and (expires_at is null or expires_at > :now)
				  and authorization_id in (select id from oauth_authorization
				                           where client_id = :client and grant_type in (:grants))
				""").param("now", now).param("client", clientId).param("grants", List.copyOf(grantTypes)).update()
				+ revokeExchangedFrom(clientId, null, grantTypes, now);
	}

	/**
	 * Ends the client's codes not yet exchanged that were issued for one of these redirect URIs; returns how many.
	 * A code written before its redirect URI was recorded (null) counts as issued for any of them.
	 */
	int revokePendingCodes(String clientId, Collection<String> redirectUris) {
		OffsetDateTime now = now();
		return jdbc.sql("""
				update oauth_token set invalidated_at = :now
				where token_type = 'code' and invalidated_at is null and expires_at > :now
				  and (redirect_uri in (:uris) or redirect_uri is null)
				  and authorization_id in (select id from oauth_authorization
				                           where client_id = :client and grant_type = 'authorization_code')
				""").param("now", now).param("uris", List.copyOf(redirectUris)).param("client", clientId).update();
	}

	/** Deletes tokens that expired before the cutoff, then grants left without tokens; returns both counts. */
	int[] deleteExpired(OffsetDateTime cutoff) {
		int tokens = jdbc.sql("delete from oauth_token where expires_at < :cutoff").param("cutoff", cutoff).update();
		int grants = jdbc.sql("""
				delete from oauth_authorization
				where created_at < :cutoff
				  and not exists (select 1 from oauth_token t where t.authorization_id = oauth_authorization.id)
				""").param("cutoff", cutoff).update();
		return new int[] { tokens, grants };
	}

	/**
	 * Inserts new grants and their tokens, from several requests at once ({@link TokenStoreGroupCommit}): one JDBC
	 * batch for the grants' rows and one for their tokens' rows, whatever the number of grants.
	 */
	void insertNewGrants(List<NewGrantRows> grants) {
		if (grants.isEmpty()) {
			return;
		}
		OffsetDateTime now = now();
		batches.batchUpdate("""
				insert into oauth_authorization (id, client_id, account_id, principal_name, grant_type, scopes,
				                                 attributes, created_at, parent_id)
				values (:id, :client, :account, :principal, :grant, :scopes, :attributes, :now, :parent)
				""", grants.stream().map(grant -> new MapSqlParameterSource()
			.addValue("id", grant.grant().id())
			.addValue("client", grant.grant().clientId())
			.addValue("account", grant.accountId(), java.sql.Types.BIGINT)
			.addValue("principal", grant.grant().principalName())
			.addValue("grant", grant.grant().grantType())
			.addValue("scopes", grant.grant().scopes())
			.addValue("attributes", grant.grant().attributes())
			.addValue("now", now)
			.addValue("parent", grant.parentId(), java.sql.Types.VARCHAR))
			.toArray(MapSqlParameterSource[]::new));
		MapSqlParameterSource[] tokens = grants.stream()
			.flatMap(grant -> grant.tokens().stream().map(token -> tokenRow(grant.grant().id(), token, now)))
			.toArray(MapSqlParameterSource[]::new);
		if (tokens.length > 0) {
			batches.batchUpdate(INSERT_TOKEN, tokens);
		}
	}

	/**
	 * Rotates the refresh tokens of several requests at once ({@link TokenStoreGroupCommit}), as {@link #claim} and
	 * {@link #insertTokens} do for one: the grants' rows locked (one statement, in id order, so that two groups lock
	 * alike), the presented tokens claimed (one batch) and the new tokens of the rotations that claimed theirs
	 * inserted (one batch). Returns, per rotation, whether it claimed its token; one that did not wrote nothing (its
	 * token was used by another request, or its grant was revoked) and must be saved on its own, where reuse is
	 * handled. The locks are held until the transaction ends.
	 *
	 * @throws IllegalStateException when the driver does not say how many rows a claim changed
	 */
	boolean[] rotate(List<RotationRows> rotations) {
		boolean[] claimed = new boolean[rotations.size()];
		if (rotations.isEmpty()) {
			return claimed;
		}
		// the grants' rows before their tokens, in the same order as claim and revokeAuthorization: a revocation
		// waits for this transaction and then sees the new tokens too
		jdbc.sql("select id from oauth_authorization where id in (:ids) order by id for update")
			.param("ids", rotations.stream().map(RotationRows::authorizationId).distinct().sorted().toList())
			.query(String.class).list();
		OffsetDateTime now = now();
		int[] changed = batches.batchUpdate("""
				update oauth_token set invalidated_at = :now, superseded = true
				where token_hash = :hash and authorization_id = :id and token_type = 'refresh_token'
				  and superseded = false and invalidated_at is null
				""", rotations.stream().map(rotation -> new MapSqlParameterSource()
			.addValue("now", now)
			.addValue("hash", rotation.presentedHash())
			.addValue("id", rotation.authorizationId()))
			.toArray(MapSqlParameterSource[]::new));
		List<MapSqlParameterSource> tokens = new java.util.ArrayList<>();
		for (int i = 0; i < claimed.length; i++) {
			if (changed[i] < 0) {
				// a count the driver did not give: whether the token was claimed is unknown, so nothing may commit
				throw new IllegalStateException("The database did not report the rows a refresh token claim changed");
			}
			claimed[i] = changed[i] == 1;
			if (claimed[i]) {
				RotationRows rotation = rotations.get(i);
				rotation.tokens().forEach(token -> tokens.add(tokenRow(rotation.authorizationId(), token, now)));
			}
		}
		if (!tokens.isEmpty()) {
			batches.batchUpdate(INSERT_TOKEN, tokens.toArray(MapSqlParameterSource[]::new));
		}
		return claimed;
	}

	private static MapSqlParameterSource tokenRow(String authorizationId, StoredToken token, OffsetDateTime now) {
		return new MapSqlParameterSource()
			.addValue("hash", token.hash())
			.addValue("authorization", authorizationId)
			.addValue("type", token.type())
			.addValue("issued", utc(token.issuedAt()))
			.addValue("expires", token.expiresAt() == null ? null : utc(token.expiresAt()))
			.addValue("invalidatedAt", token.invalidated() ? now : null)
			.addValue("metadata", token.metadata())
			.addValue("redirect", token.redirectUri(), java.sql.Types.VARCHAR);
	}

	private static OffsetDateTime now() {
		return OffsetDateTime.now(ZoneOffset.UTC);
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private static @Nullable Instant instant(@Nullable OffsetDateTime value) {
		return value == null ? null : value.toInstant();
	}

	/**
	 * The grant of a live access token; for a token exchange grant, the grant it hangs off and that grant's client.
	 */
	record LiveGrant(String authorizationId, @Nullable String parentId, @Nullable String parentClientId) {
	}

	/** A grant's row and all its tokens, oldest first. */
	record LoadedGrant(AuthorizationRow grant, List<StoredToken> tokens) {
	}

	/** A grant's row; {@code attributes} is the JSON {@link AuthorizationJson} writes. */
	record AuthorizationRow(String id, String clientId, String principalName, String grantType, String scopes,
			String attributes) {
	}

	/**
	 * A new grant's row with its tokens' rows, as {@link #insertNewGrants} writes them.
	 *
	 * @param parentId as {@link #insertAuthorization}'s
	 */
	record NewGrantRows(AuthorizationRow grant, @Nullable Long accountId, @Nullable String parentId,
			List<StoredToken> tokens) {
	}

	/**
	 * A refresh token's rotation as {@link #rotate} writes it: the grant, the hash of the refresh token presented
	 * (claimed), and the rows of the grant's new tokens (the new access and refresh tokens, an ID token).
	 */
	record RotationRows(String authorizationId, String clientId, String presentedHash, List<StoredToken> tokens) {
	}

	/**
	 * A token's row; {@code metadata} is the JSON {@link AuthorizationJson} writes.
	 *
	 * @param redirectUri for a code, the redirect URI it was issued for; null for every other token
	 */
	record StoredToken(String hash, String type, Instant issuedAt, @Nullable Instant expiresAt, boolean invalidated,
			boolean superseded, String metadata, @Nullable String redirectUri) {
	}

}
