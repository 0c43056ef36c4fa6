package io.gatehouse.accounts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.gatehouse.api.Page;
import io.gatehouse.api.PageQuery;
import io.gatehouse.database.LikePatterns;
import io.gatehouse.database.NameKeys;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** Groups, their members and their permissions. */
@Repository
class JdbcGroupRepository {

	static final Map<String, String> ORDERABLE = Map.of("name", "name_key", "created_at", "created_at");

	private static final String COLUMNS = "id, name, description, version, created_at, updated_at, protected";

	private final JdbcClient jdbc;

	JdbcGroupRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Page<Group> findPage(PageQuery query) {
		String where = """
				where (:filter = '' or name_key like :pattern escape '\\'
				       or lower(description) like :pattern escape '\\')
				""";
		long total = jdbc.sql("select count(*) from user_group " + where)
			.param("filter", query.filter())
			.param("pattern", LikePatterns.contains(query.filter()))
			.query(Long.class)
			.single();
		String direction = query.descending() ? " desc" : " asc";
		List<Group> rows = jdbc
			.sql("select " + COLUMNS + " from user_group " + where + " order by " + ORDERABLE.get(query.orderBy())
					+ direction + ", id" + direction + " offset :offset rows fetch first :limit rows only")
			.param("filter", query.filter())
			.param("pattern", LikePatterns.contains(query.filter()))
			.param("offset", query.offset())
			.param("limit", query.perPage())
			.query(JdbcGroupRepository::group)
			.list();
		return new Page<>(rows, total, query.page(), query.perPage());
	}

	Optional<Group> findById(long id) {
		return jdbc.sql("select " + COLUMNS + " from user_group where id = :id")
			.param("id", id)
			.query(JdbcGroupRepository::group)
			.optional();
	}

	boolean nameTaken(String key, @Nullable Long exceptId) {
		return jdbc
			.sql("select count(*) from user_group where name_key = :key and id <> :exceptId")
			.param("key", key)
			.param("exceptId", exceptId == null ? -1L : exceptId)
			.query(Long.class)
			.single() > 0;
	}

	long insert(String name, String description) {
		KeyHolder keys = new GeneratedKeyHolder();
		jdbc.sql("""
				insert into user_group (name, name_key, description, version, created_at, updated_at)
				values (:name, :key, :description, 1, :now, :now)
				""")
			.param("name", name)
			.param("key", NameKeys.of(name))
			.param("description", description)
			.param("now", OffsetDateTime.now(ZoneOffset.UTC))
			.update(keys, "id");
		return keys.getKeyAs(Number.class).longValue();
	}

	boolean update(long id, int expectedVersion, String name, String description) {
		return jdbc.sql("""
				update user_group
				set name = :name, name_key = :key, description = :description, version = version + 1,
				    updated_at = :now
				where id = :id and version = :version
				""")
			.param("name", name)
			.param("key", NameKeys.of(name))
			.param("description", description)
			.param("now", OffsetDateTime.now(ZoneOffset.UTC))
			.param("id", id)
			.param("version", expectedVersion)
			.update() == 1;
	}

	void touch(long id) {
		jdbc.sql("update user_group set version = version + 1, updated_at = :now where id = :id")
			.param("now", OffsetDateTime.now(ZoneOffset.UTC))
			.param("id", id)
			.update();
	}

	void delete(long id) {
		jdbc.sql("delete from user_group where id = :id").param("id", id).update();
	}

	List<User> members(long id) {
		return jdbc.sql("""
				select a.id, a.username, a.firstname, a.lastname, a.email, a.active, a.super_admin, a.version,
				       a.created_at, a.updated_at, a.service_account
				from account a join group_member m on m.account_id = a.id
				where m.group_id = :id
				order by a.username_key
				""").param("id", id).query(JdbcUserRepository::user).list();
	}

	/** The groups the account is a member of, by name. */
	List<Group> groupsOf(long accountId) {
		return jdbc.sql("""
				select g.id, g.name, g.description, g.version, g.created_at, g.updated_at, g.protected
				from user_group g join group_member m on m.group_id = g.id
				where m.account_id = :id
				order by g.name_key
				""").param("id", accountId).query(JdbcGroupRepository::group).list();
	}

	/** Every group, by name. */
	List<Group> all() {
		return jdbc.sql("""
				select id, name, description, version, created_at, updated_at, protected
				from user_group order by name_key, id
				""").query(JdbcGroupRepository::group).list();
	}

	/** The permissions of every group that has any, by group id (one query). */
	Map<Long, Set<String>> allPermissions() {
		Map<Long, Set<String>> held = new HashMap<>();
		jdbc.sql("select group_id, permission_name from group_permission").query(rs -> {
			held.computeIfAbsent(rs.getLong("group_id"), id -> new TreeSet<>()).add(rs.getString("permission_name"));
		});
		return held;
	}

	Set<Long> memberIds(long id) {
		return new TreeSet<>(jdbc.sql("select account_id from group_member where group_id = :id")
			.param("id", id)
			.query(Long.class)
			.list());
	}

	void replaceMembers(long id, Collection<Long> accountIds) {
		jdbc.sql("delete from group_member where group_id = :id").param("id", id).update();
		List<Long> ids = List.copyOf(accountIds);
		// a statement per thousand members, not per member (existing ids only: the caller checked them)
		for (int from = 0; from < ids.size(); from += 1000) {
			jdbc.sql("insert into group_member (group_id, account_id) select :id, id from account where id in (:ids)")
				.param("id", id)
				.param("ids", ids.subList(from, Math.min(ids.size(), from + 1000)))
				.update();
		}
	}

	Set<String> permissions(long id) {
		return new TreeSet<>(jdbc.sql("select permission_name from group_permission where group_id = :id")
			.param("id", id)
			.query(String.class)
			.list());
	}

	void replacePermissions(long id, Collection<String> names) {
		jdbc.sql("delete from group_permission where group_id = :id").param("id", id).update();
		for (String name : names) {
			jdbc.sql("insert into group_permission (group_id, permission_name) values (:id, :name)")
				.param("id", id)
				.param("name", name)
				.update();
		}
	}

	static Group group(ResultSet rs, int row) throws SQLException {
		return new Group(rs.getLong("id"), rs.getString("name"), rs.getString("description"), rs.getInt("version"),
				rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class),
				rs.getBoolean("protected"));
	}

}
