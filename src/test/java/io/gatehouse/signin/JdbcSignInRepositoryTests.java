package io.gatehouse.signin;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.gatehouse.database.NameKeys;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Sign-in reads and the account table's keys; run on H2 and PostgreSQL by the subclasses. */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import(JdbcSignInRepository.class)
abstract class JdbcSignInRepositoryTests {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JdbcSignInRepository repository;

	@Test
	void insertAccountWhenUsernameDiffersOnlyInCaseOrSpacesThenRefused() {
		insertAccount("Alice", false);

		assertThatExceptionOfType(DuplicateKeyException.class).isThrownBy(() -> insertAccount(" ALICE ", false));
	}

	@Test
	void findByUsernameWhenCaseDiffersThenFindsTheAccount() {
		long id = insertAccount("Alice", false);

		assertThat(repository.findByUsername("aLICE")).hasValueSatisfying(details -> {
			assertThat(details.user().id()).isEqualTo(id);
			assertThat(details.getUsername()).isEqualTo("Alice");
			assertThat(details.user().displayName()).isEqualTo("First Last");
		});
		assertThat(repository.findByUsername("bob")).isEmpty();
	}

	@Test
	void grantedPermissionsWhenHeldDirectlyAndThroughGroupsThenUnionOfBoth() {
		long alice = insertAccount("alice", false);
		long bob = insertAccount("bob", false);
		long support = insertGroup("Support");
		long auditors = insertGroup("Auditors");
		grantToAccount(alice, "view-users");
		grantToGroup(support, "view-users");
		grantToGroup(support, "edit-users");
		grantToGroup(auditors, "view-auth_clients");
		join(support, alice);
		join(auditors, alice);
		grantToAccount(bob, "delete-groups");

		assertThat(repository.grantedPermissions(alice)).containsExactlyInAnyOrder("view-users", "edit-users",
				"view-auth_clients");
		assertThat(repository.grantedPermissions(bob)).containsExactly("delete-groups");
	}

	@Test
	void grantedPermissionsWhenMemberOfAdministratorsThenEveryPermission() {
		long carol = insertAccount("carol", false);
		long administrators = jdbc.sql("select id from user_group where name_key = 'administrators'")
			.query(Long.class)
			.single();
		join(administrators, carol);

		assertThat(repository.grantedPermissions(carol)).containsExactlyInAnyOrderElementsOf(Permissions.ALL);
	}

	@Test
	void grantedPermissionsWhenNothingGrantedThenEmptyEvenForSuperAdmin() {
		long dave = insertAccount("dave", true);

		assertThat(repository.grantedPermissions(dave)).isEmpty();
	}

	private long insertAccount(String username, boolean superAdmin) {
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		jdbc.sql("""
				insert into account (username, username_key, firstname, lastname, email, password_hash, active,
				                     super_admin, version, created_at, updated_at)
				values (:username, :key, 'First', 'Last', '', '{noop}x', true, :superAdmin, 1, :now, :now)
				""")
			.param("username", username.trim())
			.param("key", NameKeys.of(username))
			.param("superAdmin", superAdmin)
			.param("now", now)
			.update();
		return jdbc.sql("select id from account where username_key = :key")
			.param("key", NameKeys.of(username))
			.query(Long.class)
			.single();
	}

	private long insertGroup(String name) {
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		jdbc.sql("""
				insert into user_group (name, name_key, description, version, created_at, updated_at)
				values (:name, :key, '', 1, :now, :now)
				""").param("name", name).param("key", NameKeys.of(name)).param("now", now).update();
		return jdbc.sql("select id from user_group where name_key = :key")
			.param("key", NameKeys.of(name))
			.query(Long.class)
			.single();
	}

	private void grantToAccount(long accountId, String permission) {
		jdbc.sql("insert into account_permission (account_id, permission_name) values (:id, :permission)")
			.param("id", accountId)
			.param("permission", permission)
			.update();
	}

	private void grantToGroup(long groupId, String permission) {
		jdbc.sql("insert into group_permission (group_id, permission_name) values (:id, :permission)")
			.param("id", groupId)
			.param("permission", permission)
			.update();
	}

	private void join(long groupId, long accountId) {
		jdbc.sql("insert into group_member (group_id, account_id) values (:group, :account)")
			.param("group", groupId)
			.param("account", accountId)
			.update();
	}

}
