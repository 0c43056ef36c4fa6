package io.gatehouse.personaltokens;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.gatehouse.api.Page;
import io.gatehouse.api.PageQuery;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/**
 * Storage of personal access tokens (table {@code personal_access_token}). Reads the clients module's
 * {@code auth_client} table only to join a token to its client: the bearer lookup must be one query.
 */
@Repository
class JdbcPersonalAccessTokenRepository {

	private static final String COLUMNS = """
			t.id, t.account_id, t.name, t.client_id, c.name as client_name, t.scopes, t.created_at, t.expires_at,
			t.last_used_at, t.revoked_at""";

	private final JdbcClient jdbc;

	JdbcPersonalAccessTokenRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	long insert(long accountId, String clientId, String name, String scopes, String tokenHash, Instant createdAt,
			@Nullable Instant expiresAt) {
		GeneratedKeyHolder keys = new GeneratedKeyHolder();
		jdbc.sql("""
				insert into personal_access_token (account_id, client_id, name, scopes, token_hash, created_at,
				                                   expires_at)
				values (:account, :client, :name, :scopes, :hash, :created, :expires)
				""")
			.param("account", accountId)
			.param("client", clientId)
			.param("name", name)
			.param("scopes", scopes)
			.param("hash", tokenHash)
			.param("created", utc(createdAt))
			.param("expires", expiresAt == null ? null : utc(expiresAt), java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
			.update(keys, "id");
		return keys.getKeyAs(Number.class).longValue();
	}

	/** The live client with this id, if it has personal access tokens enabled. */
	Optional<TokenClient> findPersonalAccessClient(String clientId) {
		return jdbc.sql("""
				select id, name from auth_client where id = :id and revoked = false and personal_access = true
				""")
			.param("id", clientId)
			.query((rs, i) -> new TokenClient(rs.getString("id"), rs.getString("name")))
			.optional();
	}

	/** Live clients with personal access tokens enabled, by name (index auth_client_personal_access_idx). */
	List<TokenClient> personalAccessClients() {
		return jdbc.sql("""
				select id, name from auth_client where personal_access = true and revoked = false
				order by name_key, id fetch first 500 rows only
				""").query((rs, i) -> new TokenClient(rs.getString("id"), rs.getString("name"))).list();
	}

	Page<PersonalAccessToken> pageForAccount(long accountId, PageQuery query) {
		long total = jdbc.sql("select count(*) from personal_access_token where account_id = :account")
			.param("account", accountId)
			.query(Long.class)
			.single();
		String direction = query.descending() ? " desc" : " asc";
		List<PersonalAccessToken> rows = jdbc.sql("select " + COLUMNS + """
				 from personal_access_token t join auth_client c on c.id = t.client_id
				where t.account_id = :account
				""" + " order by t.created_at" + direction + ", t.id" + direction
				+ " offset :offset rows fetch first :limit rows only")
			.param("account", accountId)
			.param("offset", query.offset())
			.param("limit", query.perPage())
			.query(JdbcPersonalAccessTokenRepository::map)
			.list();
		return new Page<>(rows, total, query.page(), query.perPage());
	}

	Optional<PersonalAccessToken> find(long accountId, long tokenId) {
		return jdbc.sql("select " + COLUMNS + """
				 from personal_access_token t join auth_client c on c.id = t.client_id
				where t.id = :id and t.account_id = :account
				""")
			.param("id", tokenId)
			.param("account", accountId)
			.query(JdbcPersonalAccessTokenRepository::map)
			.optional();
	}

	boolean revoke(long accountId, long tokenId, Instant now) {
		return jdbc.sql("""
				update personal_access_token set revoked_at = :now
				where id = :id and account_id = :account and revoked_at is null
				""").param("now", utc(now)).param("id", tokenId).param("account", accountId).update() == 1;
	}

	/**
	 * The bearer lookup: one hit on the unique hash index, joined by primary key to the account (active) and the
	 * client (live, personal access tokens still enabled). Revoked and expired tokens are not found.
	 */
	Optional<TokenHolder> findUsable(String tokenHash, Instant now) {
		return jdbc.sql("""
				select t.id, t.client_id, t.scopes, t.last_used_at,
				       a.id as account_id, a.username, a.firstname, a.lastname, a.super_admin
				from personal_access_token t
				join account a on a.id = t.account_id
				join auth_client c on c.id = t.client_id
				where t.token_hash = :hash and t.revoked_at is null and (t.expires_at is null or t.expires_at > :now)
				  and a.active = true and c.revoked = false and c.personal_access = true
				""")
			.param("hash", tokenHash)
			.param("now", utc(now))
			.query((rs, i) -> new TokenHolder(rs.getLong("id"), rs.getString("client_id"),
					scopes(rs.getString("scopes")), instant(rs, "last_used_at"), rs.getLong("account_id"),
					rs.getString("username"), rs.getString("firstname"), rs.getString("lastname"),
					rs.getBoolean("super_admin")))
			.optional();
	}

	/** Records a use unless one was recorded after {@code since}: at most one write per token per interval. */
	void touch(long tokenId, Instant now, Instant since) {
		jdbc.sql("""
				update personal_access_token set last_used_at = :now
				where id = :id and (last_used_at is null or last_used_at < :since)
				""").param("now", utc(now)).param("id", tokenId).param("since", utc(since)).update();
	}

	int revokeAllForClient(String clientId, Instant now) {
		return jdbc.sql("""
				update personal_access_token set revoked_at = :now
				where client_id = :client and revoked_at is null and (expires_at is null or expires_at > :now)
				""").param("now", utc(now)).param("client", clientId).update();
	}

	long countActiveForClient(String clientId, Instant now) {
		return jdbc.sql("""
				select count(*) from personal_access_token
				where client_id = :client and revoked_at is null and (expires_at is null or expires_at > :now)
				""").param("client", clientId).param("now", utc(now)).query(Long.class).single();
	}

	static String joinScopes(List<String> scopes) {
		return String.join(" ", scopes);
	}

	private static List<String> scopes(String text) {
		return text.isBlank() ? List.of() : Arrays.asList(text.trim().split(" +"));
	}

	private static PersonalAccessToken map(ResultSet rs, int row) throws SQLException {
		return new PersonalAccessToken(rs.getLong("id"), rs.getLong("account_id"), rs.getString("name"),
				rs.getString("client_id"), rs.getString("client_name"), scopes(rs.getString("scopes")),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(), instant(rs, "expires_at"),
				instant(rs, "last_used_at"), instant(rs, "revoked_at"));
	}

	private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	/** A client that may issue personal access tokens. */
	record TokenClient(String id, String name) {
	}

	/** What the bearer lookup finds: the token and its owner's account. */
	record TokenHolder(long tokenId, String clientId, List<String> scopes, @Nullable Instant lastUsedAt, long accountId,
			String username, String firstname, String lastname, boolean superAdmin) {
	}

}
