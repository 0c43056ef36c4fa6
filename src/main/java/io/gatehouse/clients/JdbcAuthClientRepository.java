package io.gatehouse.clients;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.gatehouse.accounts.ServiceAccountClients;
import io.gatehouse.api.Page;
import io.gatehouse.api.PageQuery;
import io.gatehouse.database.LikePatterns;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Storage for auth clients. Lists read only live rows through the {@code (revoked, name_key, id)} or
 * {@code (revoked, created_at, id)} index; a search adds a contains-match on name, client id and redirect URLs.
 */
@Repository
class JdbcAuthClientRepository {

	static final Set<String> ORDERABLE = Set.of("name", "created_at");

	private static final String COLUMNS = """
			id, name, authorization_code, password_grant, personal_access, client_credentials, public_client,
			introspect_others, service_account_id, redirect_uris, revoked, version, created_at, updated_at""";

	private static final String SEARCH = " and (name_key like :q escape '\\' or lower(id) like :q escape '\\'"
			+ " or lower(redirect_uris) like :q escape '\\')";

	private final JdbcClient jdbc;

	JdbcAuthClientRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
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
		String direction = query.descending() ? " desc" : " asc";
		String order = query.orderBy().equals("created_at") ? " order by created_at" + direction + ", id" + direction
				: " order by name_key" + direction + ", id" + direction;
		return "select " + COLUMNS + " from auth_client" + where(query) + order
				+ " offset :offset rows fetch first :limit rows only";
	}

	private static String where(PageQuery query) {
		return " where revoked = false" + (query.filter().isEmpty() ? "" : SEARCH);
	}

	Optional<AuthClient> findLive(String id) {
		return jdbc.sql("select " + COLUMNS + " from auth_client where id = :id and revoked = false")
			.param("id", id)
			.query(JdbcAuthClientRepository::map)
			.optional();
	}

	/** The live client with its secret hash, in one primary-key read (the token endpoint's client lookup). */
	Optional<ClientCredentials> findLiveCredentials(String id) {
		return jdbc.sql("select " + COLUMNS + ", secret_hash from auth_client where id = :id and revoked = false")
			.param("id", id)
			.query((rs, row) -> new ClientCredentials(map(rs, row), rs.getString("secret_hash")))
			.optional();
	}

	Optional<String> findLiveSecretHash(String id) {
		return jdbc.sql("select secret_hash from auth_client where id = :id and revoked = false")
			.param("id", id)
			.query(String.class)
			.optional();
	}

	boolean nameTaken(String nameKey, String exceptId) {
		return jdbc.sql("select count(*) from auth_client where name_key = :key and id <> :id")
			.param("key", nameKey)
			.param("id", exceptId)
			.query(Long.class)
			.single() > 0;
	}

	void insert(AuthClient client, String nameKey, String secretHash) {
		jdbc.sql("""
				insert into auth_client (id, name, name_key, secret_hash, authorization_code, password_grant,
				                         personal_access, client_credentials, public_client, introspect_others,
				                         service_account_id, redirect_uris, revoked, version, created_at, updated_at)
				values (:id, :name, :key, :hash, :code, :password, :pat, :clientCredentials, :public, :introspectOthers,
				        :serviceAccount, :redirects, false, :version, :created, :updated)
				""")
			.param("clientCredentials", client.allows(GrantType.CLIENT_CREDENTIALS))
			.param("public", client.publicClient())
			.param("introspectOthers", client.introspectOthers())
			.param("serviceAccount", client.serviceAccountId())
			.param("id", client.id())
			.param("name", client.name())
			.param("key", nameKey)
			.param("hash", secretHash)
			.param("code", client.allows(GrantType.AUTHORIZATION_CODE))
			.param("password", client.allows(GrantType.PASSWORD))
			.param("pat", client.allows(GrantType.PERSONAL_ACCESS))
			.param("redirects", String.join("\n", client.redirectUris()))
			.param("version", client.version())
			.param("created", utc(client))
			.param("updated", utc(client))
			.update();
	}

	/** Writes the new state when the stored version is still {@code expectedVersion}; false when it is not. */
	boolean update(AuthClient client, String nameKey, int expectedVersion) {
		return jdbc.sql("""
				update auth_client
				set name = :name, name_key = :key, authorization_code = :code, password_grant = :password,
				    personal_access = :pat, client_credentials = :clientCredentials, public_client = :public,
				    introspect_others = :introspectOthers, service_account_id = :serviceAccount,
				    redirect_uris = :redirects, version = :version,
				    updated_at = :updated
				where id = :id and version = :expected and revoked = false
				""")
			.param("clientCredentials", client.allows(GrantType.CLIENT_CREDENTIALS))
			.param("public", client.publicClient())
			.param("introspectOthers", client.introspectOthers())
			.param("serviceAccount", client.serviceAccountId())
			.param("id", client.id())
			.param("name", client.name())
			.param("key", nameKey)
			.param("code", client.allows(GrantType.AUTHORIZATION_CODE))
			.param("password", client.allows(GrantType.PASSWORD))
			.param("pat", client.allows(GrantType.PERSONAL_ACCESS))
			.param("redirects", String.join("\n", client.redirectUris()))
			.param("version", client.version())
			.param("updated", OffsetDateTime.ofInstant(client.updatedAt(), ZoneOffset.UTC))
			.param("expected", expectedVersion)
			.update() == 1;
	}

	boolean replaceSecret(String id, String secretHash, int expectedVersion, OffsetDateTime now) {
		return jdbc.sql("""
				update auth_client set secret_hash = :hash, version = version + 1, updated_at = :now
				where id = :id and version = :expected and revoked = false
				""")
			.param("id", id)
			.param("hash", secretHash)
			.param("now", now)
			.param("expected", expectedVersion)
			.update() == 1;
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

	private static OffsetDateTime utc(AuthClient client) {
		return OffsetDateTime.ofInstant(client.createdAt(), ZoneOffset.UTC);
	}

	private static AuthClient map(ResultSet rs, int row) throws SQLException {
		Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
		if (rs.getBoolean("authorization_code")) {
			grants.add(GrantType.AUTHORIZATION_CODE);
		}
		if (rs.getBoolean("password_grant")) {
			grants.add(GrantType.PASSWORD);
		}
		if (rs.getBoolean("personal_access")) {
			grants.add(GrantType.PERSONAL_ACCESS);
		}
		if (rs.getBoolean("client_credentials")) {
			grants.add(GrantType.CLIENT_CREDENTIALS);
		}
		String redirects = rs.getString("redirect_uris");
		List<String> uris = redirects.isEmpty() ? List.of() : Arrays.asList(redirects.split("\n"));
		Long serviceAccount = rs.getObject("service_account_id") == null ? null : rs.getLong("service_account_id");
		return new AuthClient(rs.getString("id"), rs.getString("name"), grants, uris, rs.getBoolean("public_client"),
				rs.getBoolean("introspect_others"), serviceAccount, rs.getBoolean("revoked"), rs.getInt("version"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				rs.getObject("updated_at", OffsetDateTime.class).toInstant());
	}

}
