package io.gatehouse.clients;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.gatehouse.accounts.ServiceAccountClients;
import io.gatehouse.api.Page;
import io.gatehouse.api.PageQuery;
import io.gatehouse.database.LikePatterns;
import io.gatehouse.database.NameKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Storage for auth clients (table {@code auth_client}). Lists read live rows in the order of the
 * {@code (name_key, id)} or {@code (created_at, id)} index (V1's {@code auth_client_list_name_idx} and
 * {@code auth_client_list_created_idx}), skipping the few revoked ones as they go; a search adds a contains-match on
 * name, client id and redirect URLs.
 * <p>
 * Each grant type is a boolean column rather than a row of a child table, although that costs a migration per new
 * grant: the API Tokens page's client choice must stay one walk of {@code auth_client_personal_access_idx}
 * {@code (personal_access, revoked, name_key)}, in name order, among 100,000 clients, and a child table cannot carry
 * the client's name to order by without a copy of it; nor could a bearer token's lookup check the grant in the same
 * primary-key read.
 */
@Repository
class JdbcAuthClientRepository {

	static final Set<String> ORDERABLE = Set.of("name", "created_at", "last_used_at");

	/** A boolean column per grant type (see {@link GrantType#column()}), named by constants, never by input. */
	private static final String GRANT_COLUMNS = String.join(", ",
			Arrays.stream(GrantType.values()).map(GrantType::column).toList());

	/** {@link ClientPolicy}'s columns (V46). */
	private static final String POLICY_COLUMNS = "access_token_ttl_seconds, refresh_token_ttl_seconds, allowed_scopes,"
			+ " skip_consent, rate_limit_per_second, rate_limit_burst, token_exchange_audiences";

	private static final String COLUMNS = "id, name, " + GRANT_COLUMNS + """
			, public_client, introspect_others, require_par, post_logout_redirect_uris, revoke_tokens_on_logout,
			require_dpop, service_account_id, redirect_uris, revoked, version, created_at, updated_at,
			token_endpoint_auth_method, jwks, jwks_uri, last_used_at, """ + POLICY_COLUMNS;

	private static final String SEARCH = " and (name_key like :q escape '\\' or lower(id) like :q escape '\\'"
			+ " or lower(redirect_uris) like :q escape '\\')";

	/** Rows per JDBC batch. */
	static final int BATCH = 1000;

	private final JdbcClient jdbc;

	/** Null only for tests that write single rows without Spring. */
	private final @Nullable NamedParameterJdbcTemplate batch;

	JdbcAuthClientRepository(JdbcClient jdbc) {
		this(jdbc, null);
	}

	@Autowired
	JdbcAuthClientRepository(JdbcClient jdbc, @Nullable NamedParameterJdbcTemplate batch) {
		this.jdbc = jdbc;
		this.batch = batch;
	}

	Page<AuthClient> page(PageQuery query) {
		boolean searching = !query.filter().isEmpty();
		var rows = jdbc.sql(pageSql(query)).param("offset", query.offset()).param("limit", query.perPage());
		var count = jdbc.sql("select count(*) from auth_client" + where(query));
		if (searching) {
			String pattern = LikePatterns.contains(query.filter());
			rows = rows.param("q", pattern);
			count = count.param("q", pattern);
		}
		List<AuthClient> clients = rows.query(JdbcAuthClientRepository::map).list();
		long total = count.query(Long.class).single();
		return new Page<>(clients, total, query.page(), query.perPage());
	}

	/** The clients, deleted ones included, whose service account is one of these accounts, by account id. */
	Map<Long, ServiceAccountClients.Client> findByServiceAccounts(Collection<Long> accountIds) {
		Map<Long, ServiceAccountClients.Client> clients = new HashMap<>();
		jdbc.sql("select id, name, revoked, service_account_id from auth_client where service_account_id in (:ids)")
			.param("ids", List.copyOf(accountIds))
			.query(rs -> {
				clients.put(rs.getLong("service_account_id"), new ServiceAccountClients.Client(rs.getString("id"),
						rs.getString("name"), rs.getBoolean("revoked")));
			});
		return clients;
	}

	/** The page query, with {@code :offset}, {@code :limit} and (when searching) {@code :q} to bind. */
	static String pageSql(PageQuery query) {
		return "select " + COLUMNS + " from auth_client" + where(query) + order(query)
				+ " offset :offset rows fetch first :limit rows only";
	}

	private static String order(PageQuery query) {
		String direction = query.descending() ? " desc" : " asc";
		return switch (query.orderBy()) {
			case "created_at" -> " order by created_at" + direction + ", id" + direction;
			// never used sorts as the oldest, on both databases (their default places for nulls differ)
			case "last_used_at" -> " order by last_used_at" + direction
					+ (query.descending() ? " nulls last" : " nulls first") + ", id" + direction;
			default -> " order by name_key" + direction + ", id" + direction;
		};
	}

	/** The live clients with these ids, in the order of {@code ids} (a page that the search index chose). */
	List<AuthClient> findLiveInOrder(List<String> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		Map<String, AuthClient> found = new HashMap<>();
		jdbc.sql("select " + COLUMNS + " from auth_client where revoked = false and id in (:ids)")
			.param("ids", ids)
			.query(JdbcAuthClientRepository::map)
			.list()
			.forEach(client -> found.put(client.id(), client));
		return ids.stream().map(found::get).filter(Objects::nonNull).toList();
	}

	/**
	 * The query's page among the live clients with these ids, ordered by PostgreSQL: its collation decides the order
	 * of names, as it does for the list ({@code ids} bound as one array, however many the search matched).
	 */
	List<AuthClient> pageAmong(PageQuery query, List<String> ids) {
		if (ids.isEmpty()) {
			return List.of();
		}
		return jdbc.sql("select " + COLUMNS + " from auth_client where revoked = false and id = any(:ids)"
				+ order(query) + " offset :offset rows fetch first :limit rows only")
			.param("ids", new SqlArrayValue("varchar", ids.toArray()))
			.param("offset", query.offset())
			.param("limit", query.perPage())
			.query(JdbcAuthClientRepository::map)
			.list();
	}

	/** Every client, deleted ones too, as the search index holds it; {@code id} only: that one client. */
	void forEachSearchRow(@Nullable String id, Consumer<SearchRow> each) {
		var rows = jdbc.sql("""
				select id, name_key, lower(id) as id_key, lower(redirect_uris) as redirect_key, created_at, version,
				       revoked
				from auth_client""" + (id == null ? "" : " where id = :id"));
		if (id != null) {
			rows = rows.param("id", id);
		}
		rows.query(rs -> {
			each.accept(new SearchRow(rs.getString("id"), rs.getString("name_key"), rs.getString("id_key"),
					rs.getString("redirect_key"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
					rs.getInt("version"), rs.getBoolean("revoked")));
		});
	}

	/**
	 * What a search matches and orders by, with the database's own lower-casing (as the SQL search compares), and the
	 * version that tells a newer read from an older one.
	 */
	record SearchRow(String id, @Nullable String nameKey, String idKey, String redirectKey, Instant createdAt,
			int version, boolean revoked) {
	}

	private static String where(PageQuery query) {
		return " where revoked = false" + (query.filter().isEmpty() ? "" : SEARCH);
	}

	long countLive() {
		return jdbc.sql("select count(*) from auth_client where revoked = false").query(Long.class).single();
	}

	Optional<AuthClient> findLive(String id) {
		return jdbc.sql("select " + COLUMNS + " from auth_client where id = :id and revoked = false")
			.param("id", id)
			.query(JdbcAuthClientRepository::map)
			.optional();
	}

	/** Every live client, by name (then id): one walk of {@code auth_client_list_name_idx}. */
	List<AuthClient> allLive() {
		return jdbc.sql("select " + COLUMNS + " from auth_client where revoked = false order by name_key, id")
			.query(JdbcAuthClientRepository::map)
			.list();
	}

	/** Whether any client, live or deleted, has this id: a deleted client's id is never given to another. */
	boolean idTaken(String id) {
		return jdbc.sql("select count(*) from auth_client where id = :id")
			.param("id", id)
			.query(Long.class)
			.single() > 0;
	}

	boolean nameTaken(String nameKey, String exceptId) {
		return jdbc.sql("select count(*) from auth_client where name_key = :key and id <> :id")
			.param("key", nameKey)
			.param("id", exceptId)
			.query(Long.class)
			.single() > 0;
	}

	private static final String INSERT = "insert into auth_client (id, name, name_key, " + GRANT_COLUMNS + """
			, public_client, introspect_others, require_par, post_logout_redirect_uris, revoke_tokens_on_logout,
			  require_dpop, service_account_id, redirect_uris, revoked, version, created_at, updated_at,
			  token_endpoint_auth_method, jwks, jwks_uri, """ + POLICY_COLUMNS + """
			)
			values (:id, :name, :key, """ + grantParameters() + """
			, :public, :introspectOthers, :requirePar, :postLogout, :revokeOnLogout, :requireDpop,
			  :serviceAccount, :redirects, false, :version, :created, :updated, :authMethod, :jwks, :jwksUri,
			  :accessTtl, :refreshTtl, :scopes, :skipConsent, :ratePerSecond, :rateBurst, :exchangeAudiences)
			""";

	void insert(AuthClient client, String nameKey) {
		jdbc.sql(INSERT).params(insertParameters(client, nameKey)).update();
	}

	/** {@link #insert} of many clients in JDBC batches: a round trip per thousand clients, not per client. */
	void insertAll(List<AuthClient> clients) {
		for (int from = 0; from < clients.size(); from += BATCH) {
			SqlParameterSource[] rows = clients.subList(from, Math.min(clients.size(), from + BATCH))
				.stream()
				.map(client -> new MapSqlParameterSource(insertParameters(client, NameKeys.of(client.name()))))
				.toArray(SqlParameterSource[]::new);
			Objects.requireNonNull(batch).batchUpdate(INSERT, rows);
		}
	}

	/**
	 * The ids among {@code ids} that any client has (deleted ones included), and the name keys among
	 * {@code nameKeys} that any client has: what a batch of new clients must not take, in one query.
	 */
	Set<String> takenIdsAndNameKeys(Collection<String> ids, Collection<String> nameKeys) {
		Set<String> taken = new HashSet<>();
		if (ids.isEmpty() && nameKeys.isEmpty()) {
			return taken;
		}
		jdbc.sql("select id, name_key from auth_client where id in (:ids) or name_key in (:keys)")
			.param("ids", ids.isEmpty() ? List.of("") : ids)
			.param("keys", nameKeys.isEmpty() ? List.of("") : nameKeys)
			.query((rs, row) -> {
				taken.add("id:" + rs.getString("id"));
				taken.add("name:" + rs.getString("name_key"));
				return row;
			})
			.list();
		return taken;
	}

	private static Map<String, @Nullable Object> insertParameters(AuthClient client, String nameKey) {
		Map<String, @Nullable Object> parameters = new HashMap<>();
		parameters.put("postLogout", String.join("\n", client.postLogoutRedirectUris()));
		parameters.put("revokeOnLogout", client.revokeTokensOnLogout());
		parameters.put("requireDpop", client.requireDpop());
		parameters.put("public", client.publicClient());
		parameters.put("requirePar", client.requirePar());
		parameters.put("introspectOthers", client.introspectOthers());
		parameters.put("serviceAccount", client.serviceAccountId());
		parameters.put("id", client.id());
		parameters.put("name", client.name());
		parameters.put("key", nameKey);
		parameters.put("redirects", String.join("\n", client.redirectUris()));
		parameters.put("version", client.version());
		parameters.put("created", utc(client));
		parameters.put("updated", utc(client));
		parameters.putAll(grants(client));
		parameters.putAll(authentication(client));
		parameters.putAll(policy(client.policy()));
		return parameters;
	}

	/** Writes the new state when the stored version is still {@code expectedVersion}; false when it is not. */
	boolean update(AuthClient client, String nameKey, int expectedVersion) {
		String grants = Arrays.stream(GrantType.values()).map(grant -> grant.column() + " = :" + grant.column())
			.collect(Collectors.joining(", "));
		StatementSpec update = jdbc.sql("update auth_client set name = :name, name_key = :key, " + grants + """
				, public_client = :public, introspect_others = :introspectOthers, require_par = :requirePar,
				    post_logout_redirect_uris = :postLogout, revoke_tokens_on_logout = :revokeOnLogout,
				    require_dpop = :requireDpop, service_account_id = :serviceAccount,
				    redirect_uris = :redirects, version = :version,
				    updated_at = :updated, token_endpoint_auth_method = :authMethod, jwks = :jwks, jwks_uri = :jwksUri,
				    access_token_ttl_seconds = :accessTtl,
				    refresh_token_ttl_seconds = :refreshTtl, allowed_scopes = :scopes, skip_consent = :skipConsent,
				    rate_limit_per_second = :ratePerSecond, rate_limit_burst = :rateBurst,
				    token_exchange_audiences = :exchangeAudiences
				where id = :id and version = :expected and revoked = false
				""")
			.param("public", client.publicClient())
			.param("introspectOthers", client.introspectOthers())
			.param("requirePar", client.requirePar())
			.param("postLogout", String.join("\n", client.postLogoutRedirectUris()))
			.param("revokeOnLogout", client.revokeTokensOnLogout())
			.param("requireDpop", client.requireDpop())
			.param("serviceAccount", client.serviceAccountId())
			.param("id", client.id())
			.param("name", client.name())
			.param("key", nameKey)
			.param("redirects", String.join("\n", client.redirectUris()))
			.param("version", client.version())
			.param("updated", OffsetDateTime.ofInstant(client.updatedAt(), ZoneOffset.UTC))
			.param("expected", expectedVersion);
		return withPolicy(withGrants(withAuthentication(update, client), client), client.policy()).update() == 1;
	}

	/** Counts a change of the client's secrets as a change of the client (its version and ETag move). */
	boolean bumpVersion(String id, int expectedVersion, OffsetDateTime now) {
		return jdbc.sql("""
				update auth_client set version = version + 1, updated_at = :now
				where id = :id and version = :expected and revoked = false
				""")
			.param("id", id)
			.param("now", now)
			.param("expected", expectedVersion)
			.update() == 1;
	}

	/** Records a use unless one was recorded less than a minute before (by another node, or before a restart). */
	@Transactional(propagation = Propagation.REQUIRES_NEW)
	void recordUse(String id, OffsetDateTime now) {
		jdbc.sql("""
				update auth_client set last_used_at = :now
				where id = :id and (last_used_at is null or last_used_at < :minuteAgo)
				""")
			.param("now", now)
			.param("id", id)
			.param("minuteAgo", now.minusSeconds(60))
			.update();
	}

	/** Keeps the row, revoked, so tokens it issued can be refused; frees its name for reuse. */
	boolean revoke(String id, int expectedVersion, OffsetDateTime now) {
		return jdbc.sql("""
				update auth_client set revoked = true, name_key = null, version = version + 1, updated_at = :now
				where id = :id and version = :expected and revoked = false
				""")
			.param("id", id)
			.param("now", now)
			.param("expected", expectedVersion)
			.update() == 1;
	}

	/** The parameters of the grant columns, in {@link #GRANT_COLUMNS}' order: {@code :authorization_code, ...}. */
	private static String grantParameters() {
		return Arrays.stream(GrantType.values()).map(grant -> ":" + grant.column()).collect(Collectors.joining(", "));
	}

	private static StatementSpec withGrants(StatementSpec statement, AuthClient client) {
		return statement.params(grants(client));
	}

	private static StatementSpec withAuthentication(StatementSpec statement, AuthClient client) {
		return statement.params(authentication(client));
	}

	private static StatementSpec withPolicy(StatementSpec statement, ClientPolicy policy) {
		return statement.params(policy(policy));
	}

	private static Map<String, @Nullable Object> grants(AuthClient client) {
		Map<String, @Nullable Object> parameters = new HashMap<>();
		for (GrantType grant : GrantType.values()) {
			parameters.put(grant.column(), client.allows(grant));
		}
		return parameters;
	}

	private static Map<String, @Nullable Object> authentication(AuthClient client) {
		ClientAuthentication authentication = client.authentication();
		Map<String, @Nullable Object> parameters = new HashMap<>();
		parameters.put("authMethod", authentication.method().apiName());
		parameters.put("jwks", authentication.jwks());
		parameters.put("jwksUri", authentication.jwksUri());
		return parameters;
	}

	private static Map<String, @Nullable Object> policy(ClientPolicy policy) {
		Map<String, @Nullable Object> parameters = new HashMap<>();
		parameters.put("accessTtl", ClientPolicy.seconds(policy.accessTokenLifetime()));
		parameters.put("refreshTtl", ClientPolicy.seconds(policy.refreshTokenLifetime()));
		parameters.put("scopes", policy.scopeText());
		parameters.put("skipConsent", policy.skipConsent());
		parameters.put("ratePerSecond", policy.rateLimit() == null ? null : policy.rateLimit().perSecond());
		parameters.put("rateBurst", policy.rateLimit() == null ? null : policy.rateLimit().burst());
		parameters.put("exchangeAudiences", String.join("\n", policy.exchangeAudiences()));
		return parameters;
	}

	private static ClientPolicy policy(ResultSet rs) throws SQLException {
		return new ClientPolicy(ClientPolicy.seconds(rs.getObject("access_token_ttl_seconds", Long.class)),
				ClientPolicy.seconds(rs.getObject("refresh_token_ttl_seconds", Long.class)),
				ClientPolicy.parseScopes(rs.getString("allowed_scopes")), rs.getBoolean("skip_consent"),
				rs.getObject("rate_limit_per_second") == null ? null : new ClientPolicy.RateLimit(
						rs.getInt("rate_limit_per_second"), rs.getInt("rate_limit_burst")),
				lines(rs.getString("token_exchange_audiences")));
	}

	private static List<String> lines(String text) {
		return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
	}

	private static OffsetDateTime utc(AuthClient client) {
		return OffsetDateTime.ofInstant(client.createdAt(), ZoneOffset.UTC);
	}

	private static AuthClient map(ResultSet rs, int row) throws SQLException {
		Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
		for (GrantType grant : GrantType.values()) {
			if (rs.getBoolean(grant.column())) {
				grants.add(grant);
			}
		}
		String redirects = rs.getString("redirect_uris");
		List<String> uris = redirects.isEmpty() ? List.of() : Arrays.asList(redirects.split("\n"));
		Long serviceAccount = rs.getObject("service_account_id") == null ? null : rs.getLong("service_account_id");
		String postLogout = rs.getString("post_logout_redirect_uris");
		List<String> postLogoutUris = postLogout.isEmpty() ? List.of() : Arrays.asList(postLogout.split("\n"));
		return new AuthClient(rs.getString("id"), rs.getString("name"), grants, uris, rs.getBoolean("public_client"),
				rs.getBoolean("introspect_others"), rs.getBoolean("require_par"), postLogoutUris,
				rs.getBoolean("revoke_tokens_on_logout"), rs.getBoolean("require_dpop"), serviceAccount,
				rs.getBoolean("revoked"), rs.getInt("version"),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
				new ClientAuthentication(ClientAuthentication.Method.fromApiName(
						rs.getString("token_endpoint_auth_method")).orElseThrow(), rs.getString("jwks"),
						rs.getString("jwks_uri")), policy(rs),
				rs.getObject("last_used_at") == null ? null
						: rs.getObject("last_used_at", OffsetDateTime.class).toInstant());
	}

}
