package io.gatehouse;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The Flyway migrations on an empty database; run on H2 and PostgreSQL by the subclasses. */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
abstract class SchemaMigrationTests {

	@Autowired
	JdbcClient jdbc;

	@Test
	void migrateWhenDatabaseIsEmptyThenEveryMigrationSucceeds() {
		List<Map<String, Object>> history = jdbc
			.sql("select version, success from flyway_schema_history where version is not null order by installed_rank")
			.query()
			.listOfRows();

		assertThat(history).isNotEmpty();
		assertThat(history).first().extracting(row -> row.get("version")).isEqualTo("1");
		assertThat(history).allSatisfy(row -> assertThat(row.get("success")).isEqualTo(true));
	}

	@Test
	void migrateWhenDatabaseIsEmptyThenSeedsTheFourteenPermissionsWithTitles() {
		List<String> permissions = jdbc.sql("select name || '=' || title from permission order by position")
			.query(String.class)
			.list();

		assertThat(permissions).containsExactly("view-auth_clients=View Auth Clients",
				"create-auth_clients=Create Auth Clients", "edit-auth_clients=Edit Auth Clients",
				"delete-auth_clients=Delete Auth Clients", "view-users=View Users", "create-users=Create Users",
				"edit-users=Edit Users", "delete-users=Delete Users", "view-groups=View Groups",
				"create-groups=Create Groups", "edit-groups=Edit Groups", "delete-groups=Delete Groups",
				"view-audit=View Audit Log", "manage-webhooks=Manage Webhooks");
	}

	@Test
	void migrateWhenDatabaseIsEmptyThenAdministratorsGroupHoldsEveryPermission() {
		List<String> granted = jdbc.sql("""
				select gp.permission_name
				from user_group g join group_permission gp on gp.group_id = g.id
				where g.name = 'Administrators'
				""").query(String.class).list();
		List<String> all = jdbc.sql("select name from permission").query(String.class).list();

		assertThat(all).hasSize(14);
		assertThat(granted).containsExactlyInAnyOrderElementsOf(all);
	}

	@Test
	void migrateWhenDatabaseIsEmptyThenNoAccountAndOnlyThePersonalAccessClientExist() {
		assertThat(jdbc.sql("select count(*) from account").query(Long.class).single()).isZero();
		assertThat(jdbc.sql("select id || '=' || name from auth_client").query(String.class).list())
			.containsExactly("personal-access-client=Personal Access Client");
	}

	@Test
	void migrateWhenDatabaseIsEmptyThenPersonalAccessClientAllowsOnlyPersonalAccessTokens() {
		Map<String, Object> client = jdbc.sql("select authorization_code, password_grant, personal_access, revoked, "
				+ "redirect_uris, name_key from auth_client where id = 'personal-access-client'")
			.query()
			.singleRow();
		assertThat(client).containsEntry("authorization_code", false)
			.containsEntry("password_grant", false)
			.containsEntry("personal_access", true)
			.containsEntry("revoked", false)
			.containsEntry("redirect_uris", "")
			.containsEntry("name_key", "personal access client");
	}

}
