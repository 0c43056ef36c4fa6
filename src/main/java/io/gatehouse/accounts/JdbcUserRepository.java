package io.gatehouse.accounts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * Users (table {@code account}, service accounts included), their direct permissions and the super-admin lock. The
 * password hash is written here, and read only to check the current password when a user changes their own.
 */
@Repository
class JdbcUserRepository {

	/** API and console names of the sortable columns, mapped to SQL; nothing else ever reaches an order by. */
	static final Map<String, String> ORDERABLE = Map.of("username", "username_key", "email", "lower(email)",
			"created_at", "created_at");

	private static final String COLUMNS = "id, username, firstname, lastname, email, active, super_admin, version, "
			+ "created_at, updated_at, service_account";

	/** Rows per JDBC batch. */
	private static final int BATCH = 1000;

	private final JdbcClient jdbc;

	/** Null only for tests that write single rows without Spring. */
	private final @Nullable NamedParameterJdbcTemplate batch;

	JdbcUserRepository(JdbcClient jdbc) {
		this(jdbc, null);
	}

	@Autowired
	JdbcUserRepository(JdbcClient jdbc, @Nullable NamedParameterJdbcTemplate batch) {
		this.jdbc = jdbc;
		this.batch = batch;
	}

	long countPeople() {
		return jdbc.sql("select count(*) from account where service_account = false").query(Long.class).single();
	}

	Page<User> findPage(PageQuery query) {
		String where = """
				where (:filter = '' or username_key like :pattern escape '\\'
				       or lower(firstname) like :pattern escape '\\' or lower(lastname) like :pattern escape '\\'
				       or lower(email) like :pattern escape '\\')
				""";
		long total = jdbc.sql("select count(*) from account " + where)
			.param("filter", query.filter())
			.param("pattern", LikePatterns.contains(query.filter()))
			.query(Long.class)
			.single();
		String direction = query.descending() ? " desc" : " asc";
		List<User> rows = jdbc
			.sql("select " + COLUMNS + " from account " + where + " order by " + ORDERABLE.get(query.orderBy())
					+ direction + ", id" + direction + " offset :offset rows fetch first :limit rows only")
			.param("filter", query.filter())
			.param("pattern", LikePatterns.contains(query.filter()))
			.param("offset", query.offset())
			.param("limit", query.perPage())
			.query(JdbcUserRepository::user)
			.list();
		return new Page<>(rows, total, query.page(), query.perPage());
	}

	Optional<User> findById(long id) {
		return jdbc.sql("select " + COLUMNS + " from account where id = :id")
			.param("id", id)
			.query(JdbcUserRepository::user)
			.optional();
	}

	boolean usernameTaken(String key, @Nullable Long exceptId) {
		return jdbc.sql("select count(*) from account where username_key = :key and id <> :exceptId")
			.param("key", key)
			.param("exceptId", exceptId == null ? -1L : exceptId)
			.query(Long.class)
			.single() > 0;
	}

	/** Whether another account's username has this {@link Usernames#skeleton}, i.e. looks like it. */
	boolean skeletonTaken(String skeleton, @Nullable Long exceptId) {
		return jdbc.sql("select count(*) from account where username_skeleton = :skeleton and id <> :exceptId")
			.param("skeleton", skeleton)
			.param("exceptId", exceptId == null ? -1L : exceptId)
			.query(Long.class)
			.single() > 0;
	}

	Optional<Long> idOfUsername(String key) {
		return jdbc.sql("select id from account where username_key = :key")
			.param("key", key)
			.query(Long.class)
			.optional();
	}

	/** Inserts a new account at version 1 and returns its id. */
	long insert(String username, String firstname, String lastname, String email, boolean active, boolean superAdmin,
			String passwordHash) {
		KeyHolder keys = new GeneratedKeyHolder();
		jdbc.sql("""
				insert into account (username, username_key, username_skeleton, firstname, lastname, email,
				                     password_hash, active, super_admin, version, created_at, updated_at)
				values (:username, :key, :skeleton, :firstname, :lastname, :email, :hash, :active, :superAdmin, 1,
				        :now, :now)
				""")
			.param("username", username)
			.param("key", NameKeys.of(username))
			.param("skeleton", Usernames.skeleton(username))
			.param("firstname", firstname)
			.param("lastname", lastname)
			.param("email", email)
			.param("hash", passwordHash)
			.param("active", active)
			.param("superAdmin", superAdmin)
			.param("now", OffsetDateTime.now(ZoneOffset.UTC))
			.update(keys, "id");
		return keys.getKeyAs(Number.class).longValue();
	}

	/**
	 * Inserts a client's service account, active, with a password nobody knows, and returns its id. Never signs in:
	 * the login refuses a service account whatever the password.
	 */
	private static final String INSERT_SERVICE_ACCOUNT = """
			insert into account (username, username_key, username_skeleton, firstname, lastname, email,
			                     password_hash, active, super_admin, service_account, version, created_at,
			                     updated_at)
			values (:username, :key, :skeleton, :firstname, 'service account', '', :hash, true, false, true, 1,
			        :now, :now)
			""";

	long insertServiceAccount(String username, String firstname, String passwordHash) {
		KeyHolder keys = new GeneratedKeyHolder();
		jdbc.sql(INSERT_SERVICE_ACCOUNT)
			.params(serviceAccountParameters(username, firstname, passwordHash))
			.update(keys, "id");
		return keys.getKeyAs(Number.class).longValue();
	}

	/**
	 * {@link #insertServiceAccount} for many accounts in JDBC batches; returns their ids in the order of
	 * {@code usernamesAndFirstnames} (username, then first name, per account).
	 */
	List<Long> insertServiceAccounts(List<Map.Entry<String, String>> usernamesAndFirstnames, String passwordHash) {
		List<Long> ids = new ArrayList<>(usernamesAndFirstnames.size());
		for (int from = 0; from < usernamesAndFirstnames.size(); from += BATCH) {
			SqlParameterSource[] rows = usernamesAndFirstnames
				.subList(from, Math.min(usernamesAndFirstnames.size(), from + BATCH))
				.stream()
				.map(account -> new MapSqlParameterSource(
						serviceAccountParameters(account.getKey(), account.getValue(), passwordHash)))
				.toArray(SqlParameterSource[]::new);
			KeyHolder keys = new GeneratedKeyHolder();
			Objects.requireNonNull(batch).batchUpdate(INSERT_SERVICE_ACCOUNT, rows, keys, new String[] { "id" });
			keys.getKeyList().forEach(key -> ids.add(((Number) key.get("id")).longValue()));
		}
		return ids;
	}

	private static Map<String, Object> serviceAccountParameters(String username, String firstname,
			String passwordHash) {
		Map<String, Object> parameters = new HashMap<>();
		parameters.put("username", username);
		parameters.put("key", NameKeys.of(username));
		parameters.put("skeleton", Usernames.skeleton(username));
		parameters.put("firstname", firstname);
		parameters.put("hash", passwordHash);
		parameters.put("now", OffsetDateTime.now(ZoneOffset.UTC));
		return parameters;
	}

	/** Activates or deactivates a service account; other accounts are left alone. */
	void setServiceAccountActive(long id, boolean active) {
		jdbc.sql("""
				update account set active = :active, version = version + 1, updated_at = :now
				where id = :id and service_account = true
				""")
			.param("active", active)
			.param("now", OffsetDateTime.now(ZoneOffset.UTC))
			.param("id", id)
			.update();
	}

	boolean anyAccountExists() {
		return jdbc.sql("select count(*) from account").query(Long.class).single() > 0;
	}

	/**
	 * Saves the fields if the row still has {@code expectedVersion}; false when someone else saved first. The
	 * skeleton follows a changed username only: an unchanged one keeps what it has (none, for a username that looked
	 * like an older one when skeletons were introduced).
	 */
	boolean update(User user, int expectedVersion, @Nullable String newPasswordHash) {
		return jdbc.sql("""
				update account
				set username_skeleton = case when username = :username then username_skeleton else :skeleton end,
				    username = :username, username_key = :key, firstname = :firstname, lastname = :lastname,
				    email = :email, active = :active, super_admin = :superAdmin,
				    password_hash = coalesce(:hash, password_hash), version = version + 1, updated_at = :now
				where id = :id and version = :version
				""")
			.param("username", user.username())
			.param("key", NameKeys.of(user.username()))
			.param("skeleton", Usernames.skeleton(user.username()))
			.param("firstname", user.firstname())
			.param("lastname", user.lastname())
			.param("email", user.email())
			.param("active", user.active())
			.param("superAdmin", user.superAdmin())
			.param("hash", newPasswordHash, java.sql.Types.VARCHAR)
			.param("now", OffsetDateTime.now(ZoneOffset.UTC))
			.param("id", user.id())
			.param("version", expectedVersion)
			.update() == 1;
	}

	void touch(long id) {
		jdbc.sql("update account set version = version + 1, updated_at = :now where id = :id")
			.param("now", OffsetDateTime.now(ZoneOffset.UTC))
			.param("id", id)
			.update();
	}

	String passwordHash(long id) {
		return jdbc.sql("select password_hash from account where id = :id")
			.param("id", id)
			.query(String.class)
			.single();
	}

	void updatePassword(long id, String hash) {
		jdbc.sql("update account set password_hash = :hash, version = version + 1, updated_at = :now where id = :id")
			.param("hash", hash)
			.param("now", OffsetDateTime.now(ZoneOffset.UTC))
			.param("id", id)
			.update();
	}

	void delete(long id) {
		jdbc.sql("delete from account where id = :id").param("id", id).update();
	}

	/**
	 * Locks the rows of every active super admin until the transaction ends and returns their ids. Two transactions
	 * that each remove a different super admin queue here, so the second sees the first's change and cannot remove
	 * the last one. (PostgreSQL allows no aggregate with {@code for update}, hence the list.)
	 */
	List<Long> lockActiveSuperAdmins() {
		return jdbc.sql("select id from account where super_admin = true and active = true order by id for update")
			.query(Long.class)
			.list();
	}

	/**
	 * Whether this is the only active super admin, under {@link #lockActiveSuperAdmins}'s lock: the check behind "the
	 * last active super admin cannot be deleted, deactivated or demoted".
	 */
	boolean isLastActiveSuperAdmin(long id) {
		List<Long> superAdmins = lockActiveSuperAdmins();
		return superAdmins.contains(id) && superAdmins.size() <= 1;
	}

	Set<String> directPermissions(long id) {
		return new TreeSet<>(jdbc.sql("select permission_name from account_permission where account_id = :id")
			.param("id", id)
			.query(String.class)
			.list());
	}

	void replaceDirectPermissions(long id, Collection<String> names) {
		jdbc.sql("delete from account_permission where account_id = :id").param("id", id).update();
		for (String name : names) {
			jdbc.sql("insert into account_permission (account_id, permission_name) values (:id, :name)")
				.param("id", id)
				.param("name", name)
				.update();
		}
	}

	/** The direct permissions of every service account that has any, by account id (one query). */
	Map<Long, Set<String>> serviceAccountPermissions() {
		Map<Long, Set<String>> held = new HashMap<>();
		jdbc.sql("""
				select p.account_id, p.permission_name from account_permission p
				join account a on a.id = p.account_id where a.service_account = true
				""").query(rs -> {
			held.computeIfAbsent(rs.getLong("account_id"), id -> new TreeSet<>()).add(rs.getString("permission_name"));
		});
		return held;
	}

	/** The usernames of those of these ids that are service accounts (one query). */
	Map<Long, String> serviceAccountNames(Collection<Long> ids) {
		Map<Long, String> names = new HashMap<>();
		if (!ids.isEmpty()) {
			jdbc.sql("select id, username from account where service_account = true and id in (:ids)")
				.param("ids", List.copyOf(ids))
				.query(rs -> {
					names.put(rs.getLong("id"), rs.getString("username"));
				});
		}
		return names;
	}

	/** The names of the groups of every service account in any, by account id (one query). */
	Map<Long, Set<String>> serviceAccountGroups() {
		Map<Long, Set<String>> groups = new HashMap<>();
		jdbc.sql("""
				select m.account_id, g.name from group_member m
				join account a on a.id = m.account_id join user_group g on g.id = m.group_id
				where a.service_account = true
				""").query(rs -> {
			groups.computeIfAbsent(rs.getLong("account_id"), id -> new TreeSet<>()).add(rs.getString("name"));
		});
		return groups;
	}

	/** The accounts with these ids, in chunks of {@value #BATCH} ids a query. */
	List<User> findByIds(Collection<Long> ids) {
		List<Long> all = List.copyOf(ids);
		List<User> found = new ArrayList<>(all.size());
		for (int from = 0; from < all.size(); from += BATCH) {
			found.addAll(jdbc.sql("select " + COLUMNS + " from account where id in (:ids)")
				.param("ids", all.subList(from, Math.min(all.size(), from + BATCH)))
				.query(JdbcUserRepository::user)
				.list());
		}
		return found;
	}

	/**
	 * {@link #replaceDirectPermissions} and {@link #touch} for many accounts: a statement per thousand accounts and
	 * per permission name, not per account.
	 */
	void replaceDirectPermissionsOfAll(Map<Long, Set<String>> wanted) {
		List<Long> ids = List.copyOf(wanted.keySet());
		Map<String, List<Long>> byPermission = new TreeMap<>();
		wanted.forEach((id, names) -> names.forEach(name -> byPermission.computeIfAbsent(name, n -> new ArrayList<>())
			.add(id)));
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		for (int from = 0; from < ids.size(); from += BATCH) {
			List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + BATCH));
			jdbc.sql("delete from account_permission where account_id in (:ids)").param("ids", chunk).update();
			jdbc.sql("update account set version = version + 1, updated_at = :now where id in (:ids)")
				.param("now", now)
				.param("ids", chunk)
				.update();
		}
		byPermission.forEach((name, holders) -> {
			for (int from = 0; from < holders.size(); from += BATCH) {
				jdbc.sql("insert into account_permission (account_id, permission_name)"
						+ " select id, :name from account where id in (:ids)")
					.param("name", name)
					.param("ids", holders.subList(from, Math.min(holders.size(), from + BATCH)))
					.update();
			}
		});
	}

	/** Which of the given ids exist. */
	Set<Long> existingIds(Collection<Long> ids) {
		if (ids.isEmpty()) {
			return Set.of();
		}
		return new java.util.HashSet<>(jdbc.sql("select id from account where id in (:ids)")
			.param("ids", List.copyOf(ids))
			.query(Long.class)
			.list());
	}

	static User user(ResultSet rs, int row) throws SQLException {
		return new User(rs.getLong("id"), rs.getString("username"), rs.getString("firstname"),
				rs.getString("lastname"), rs.getString("email"), rs.getBoolean("active"), rs.getBoolean("super_admin"),
				rs.getInt("version"), rs.getObject("created_at", OffsetDateTime.class),
				rs.getObject("updated_at", OffsetDateTime.class), rs.getBoolean("service_account"));
	}

}
