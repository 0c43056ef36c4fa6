package io.gatehouse.accounts;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.gatehouse.database.NameKeys;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Test groups with defaults: {@code TestGroups.group().permissions("view-users").create(jdbc)}. */
public final class TestGroups {

	private static final AtomicInteger SEQUENCE = new AtomicInteger();

	private String name = "Group " + SEQUENCE.incrementAndGet();

	private String description = "";

	private final List<String> permissions = new ArrayList<>();

	private TestGroups() {
	}

	public static TestGroups group() {
		return new TestGroups();
	}

	public TestGroups name(String name) {
		this.name = name;
		return this;
	}

	public TestGroups description(String description) {
		this.description = description;
		return this;
	}

	public TestGroups permissions(String... names) {
		permissions.addAll(List.of(names));
		return this;
	}

	public Group create(JdbcClient jdbc) {
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		jdbc.sql("""
				insert into user_group (name, name_key, description, version, created_at, updated_at)
				values (:name, :key, :description, 1, :now, :now)
				""")
			.param("name", name)
			.param("key", NameKeys.of(name))
			.param("description", description)
			.param("now", now)
			.update();
		Group group = find(jdbc, name);
		permissions.forEach(permission -> jdbc
			.sql("insert into group_permission (group_id, permission_name) values (:id, :name)")
			.param("id", group.id())
			.param("name", permission)
			.update());
		return group;
	}

	public static Group find(JdbcClient jdbc, String name) {
		return jdbc.sql("""
				select id, name, description, version, created_at, updated_at, protected
				from user_group where name_key = :key
				""")
			.param("key", NameKeys.of(name))
			.query(JdbcGroupRepository::group)
			.single();
	}

}
