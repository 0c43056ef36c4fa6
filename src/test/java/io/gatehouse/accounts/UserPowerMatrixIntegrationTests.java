package io.gatehouse.accounts;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static io.gatehouse.signin.Permissions.ALL;
import static io.gatehouse.signin.Permissions.DELETE_AUTH_CLIENTS;
import static io.gatehouse.signin.Permissions.DELETE_GROUPS;
import static io.gatehouse.signin.Permissions.DELETE_USERS;
import static io.gatehouse.signin.Permissions.EDIT_GROUPS;
import static io.gatehouse.signin.Permissions.EDIT_USERS;
import static io.gatehouse.signin.Permissions.VIEW_GROUPS;
import static io.gatehouse.signin.Permissions.VIEW_USERS;
import static io.gatehouse.support.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The actor's power against the target's: every change to another account (each field, its permissions, its groups,
 * deleting it) is allowed exactly when the actor holds every permission the target holds before the change, directly
 * or through groups; only a super admin changes a super admin; a service account's username, password and deletion
 * belong to its client. Each case asserts the exact status and re-reads the target: changed when allowed, untouched
 * when refused.
 */
@GatehouseIntegrationTest
class UserPowerMatrixIntegrationTests {

	/** What every non-super-admin actor needs for the routes: view, edit and delete users; view and edit groups. */
	static final Set<String> EDITOR = Set.of(VIEW_USERS, EDIT_USERS, DELETE_USERS, VIEW_GROUPS, EDIT_GROUPS,
			DELETE_GROUPS);

	enum ActorKind {

		EDITOR, EDITOR_THROUGH_GROUP, HOLDS_ALL_TWELVE, SUPER_ADMIN;

		Set<String> holds() {
			return switch (this) {
				case EDITOR, EDITOR_THROUGH_GROUP -> UserPowerMatrixIntegrationTests.EDITOR;
				case HOLDS_ALL_TWELVE, SUPER_ADMIN -> Set.copyOf(ALL);
			};
		}

		User create(JdbcClient jdbc) {
			return switch (this) {
				case EDITOR -> TestAccounts.user().permissions(holds()).create(jdbc);
				case EDITOR_THROUGH_GROUP -> TestAccounts.user().permissionsThroughGroup(holds()).create(jdbc);
				case HOLDS_ALL_TWELVE -> TestAccounts.user().permissions(holds()).create(jdbc);
				case SUPER_ADMIN -> TestAccounts.user().superAdmin().create(jdbc);
			};
		}

	}

	/** Every target holds view-users directly, so stripping its direct permissions always changes something. */
	enum TargetKind {

		WEAKER, SAME, SAME_THROUGH_GROUP, STRONGER, STRONGER_THROUGH_GROUP, ALL_TWELVE, SUPER_ADMIN, SERVICE_ACCOUNT,
		SELF;

		/** What the target holds, directly or through groups (the actor's own permissions for SELF). */
		Set<String> holds(ActorKind actor) {
			return switch (this) {
				case WEAKER, SERVICE_ACCOUNT -> Set.of(VIEW_USERS);
				case SAME, SAME_THROUGH_GROUP -> EDITOR;
				case STRONGER -> plus(EDITOR, DELETE_AUTH_CLIENTS);
				case STRONGER_THROUGH_GROUP -> Set.of(VIEW_USERS, DELETE_AUTH_CLIENTS);
				case ALL_TWELVE, SUPER_ADMIN -> Set.copyOf(ALL);
				case SELF -> actor.holds();
			};
		}

	}

	enum Change {

		RENAME(200), EMAIL(200), FIRSTNAME(200), PASSWORD(200), DEACTIVATE(200), STRIP_PERMISSIONS(200),
		DELETE(204), JOIN_GROUP(200), LEAVE_GROUP(200);

		final int status;

		Change(int status) {
			this.status = status;
		}

	}

	/**
	 * The rule, as the README states it: allowed exactly when the actor holds every permission the target holds (a
	 * super admin always; a super admin target only for a super admin); nobody deletes themselves; a service
	 * account's username and password are 422 field errors and its deletion a 409.
	 */
	static int expectedStatus(ActorKind actor, TargetKind target, Change change) {
		boolean mayChange = actor == ActorKind.SUPER_ADMIN
				|| (target != TargetKind.SUPER_ADMIN && actor.holds().containsAll(target.holds(actor)));
		if (!mayChange || (target == TargetKind.SELF && change == Change.DELETE)) {
			return 403;
		}
		if (target == TargetKind.SERVICE_ACCOUNT) {
			if (change == Change.RENAME || change == Change.PASSWORD) {
				return 422;
			}
			if (change == Change.DELETE) {
				return 409;
			}
		}
		return change.status;
	}

	static Stream<Arguments> cases() {
		return EnumSet.allOf(ActorKind.class).stream()
			.flatMap(actor -> EnumSet.allOf(TargetKind.class).stream()
				.flatMap(target -> EnumSet.allOf(Change.class).stream()
					.map(change -> Arguments.of(actor, target, change))));
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	@ParameterizedTest(name = "{2} of {1} by {0}")
	@MethodSource("cases")
	void changeWhenActorAgainstTargetThenAllowedExactlyWhenActorHoldsAllTargetHolds(ActorKind actorKind,
			TargetKind targetKind, Change change) throws Exception {
		User actor = actorKind.create(jdbc);
		User target = target(targetKind, actor);
		// a group the actor may change, so only the member's power decides the group cases
		Group group = TestGroups.group().permissions(VIEW_USERS).create(jdbc);
		if (change == Change.LEAVE_GROUP) {
			jdbc.sql("insert into group_member (group_id, account_id) values (:g, :a)")
				.param("g", group.id()).param("a", target.id()).update();
		}
		String newName = "renamed-" + UUID.randomUUID();
		String newEmail = UUID.randomUUID() + "@example.com";
		AccountState before = AccountState.of(jdbc, target.id());

		MockHttpServletResponse response = mvc.perform(request(change, target, group, newName, newEmail)
			.with(as(actor)).with(csrf())).andReturn().getResponse();

		String what = change + " of " + targetKind + " by " + actorKind + ": " + response.getContentAsString();
		int expected = expectedStatus(actorKind, targetKind, change);
		assertThat(response.getStatus()).as(what).isEqualTo(expected);
		AccountState after = AccountState.of(jdbc, target.id());
		if (expected >= 400) {
			assertThat(after).as("%s: a refused change leaves the account as it was", what).isEqualTo(before);
			assertThat(response.getContentAsString()).as(what).doesNotContain("Exception", "at io.gatehouse");
			return;
		}
		switch (change) {
			case RENAME -> assertThat(after.username()).as(what).isEqualTo(newName);
			case EMAIL -> assertThat(after.email()).as(what).isEqualTo(newEmail);
			case FIRSTNAME -> assertThat(after.firstname()).as(what).isEqualTo("Changed");
			case PASSWORD -> assertThat(after.passwordHash()).as(what).isNotEqualTo(before.passwordHash());
			case DEACTIVATE -> assertThat(after.active()).as(what).isFalse();
			case STRIP_PERMISSIONS -> assertThat(after.direct()).as(what).isEmpty();
			case DELETE -> assertThat(after.exists()).as(what).isFalse();
			case JOIN_GROUP -> assertThat(after.groups()).as(what).contains(group.id());
			case LEAVE_GROUP -> assertThat(after.groups()).as(what).doesNotContain(group.id());
		}
	}

	// two steps: the rule holds at every step, so stripping first opens no door

	@Test
	void stripThenTakeOverWhenEditorHoldsOnlyViewAndEditUsersThenEveryStepRefusedAndTargetUntouched()
			throws Exception {
		User editor = TestAccounts.user().permissions(VIEW_USERS, EDIT_USERS).create(jdbc);
		User powerful = TestAccounts.user().permissions(ALL).create(jdbc);
		AccountState before = AccountState.of(jdbc, powerful.id());

		mvc.perform(json(put("/api/1.0/users/{id}/permissions", powerful.id()), "{\"permissions\": []}")
			.with(as(editor)))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value("You cannot change the user \"" + powerful.username()
					+ "\": they hold the permission \"create-auth_clients\", which you do not hold yourself."));
		mvc.perform(json(put("/api/1.0/users/{id}", powerful.id()),
				"{\"password\": \"taken-over-now\", \"username\": \"taken-over\", \"email\": \"mine@example.com\"}")
			.with(as(editor))).andExpect(status().isForbidden());

		assertThat(AccountState.of(jdbc, powerful.id())).isEqualTo(before);
	}

	@Test
	void leaveGroupThenTakeOverWhenTargetPowerComesFromGroupThenEveryStepRefused() throws Exception {
		User editor = TestAccounts.user().permissions(VIEW_USERS, EDIT_USERS, VIEW_GROUPS, EDIT_GROUPS).create(jdbc);
		Group weak = TestGroups.group().permissions(VIEW_USERS).create(jdbc);
		Group strong = TestGroups.group().permissions(DELETE_USERS).create(jdbc);
		User target = TestAccounts.user().inGroup(weak.id()).inGroup(strong.id()).create(jdbc);
		AccountState before = AccountState.of(jdbc, target.id());

		// the editor may change the weak group, but not the member, who holds delete-users through the strong one
		mvc.perform(json(put("/api/1.0/groups/{id}/members", weak.id()), "{\"users\": []}").with(as(editor)))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value(containsString("delete-users")));
		mvc.perform(json(put("/api/1.0/groups/{id}/members", strong.id()), "{\"users\": []}").with(as(editor)))
			.andExpect(status().isForbidden());
		mvc.perform(json(put("/api/1.0/users/{id}", target.id()), "{\"password\": \"taken-over-now\"}")
			.with(as(editor))).andExpect(status().isForbidden());

		assertThat(AccountState.of(jdbc, target.id())).isEqualTo(before);
	}

	@Test
	void stripBySuperAdminThenPasswordByEditorThenAllowedBecauseTheRuleReadsTheAccountAsItIsNow() throws Exception {
		User editor = TestAccounts.user().permissions(VIEW_USERS, EDIT_USERS).create(jdbc);
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		User target = TestAccounts.user().permissions(VIEW_USERS, DELETE_USERS).create(jdbc);

		mvc.perform(json(put("/api/1.0/users/{id}", target.id()), "{\"password\": \"editor-password\"}")
			.with(as(editor))).andExpect(status().isForbidden());
		mvc.perform(json(put("/api/1.0/users/{id}/permissions", target.id()), "{\"permissions\": [\"view-users\"]}")
			.with(as(admin))).andExpect(status().isOk());
		String hash = AccountState.of(jdbc, target.id()).passwordHash();
		mvc.perform(json(put("/api/1.0/users/{id}", target.id()), "{\"password\": \"editor-password\"}")
			.with(as(editor))).andExpect(status().isOk());

		assertThat(AccountState.of(jdbc, target.id()).passwordHash()).isNotEqualTo(hash);
	}

	@Test
	void ownAccountWhenEditedThenProfileFieldsSavedButNoPermissionGrantedThatYouLack() throws Exception {
		User editor = TestAccounts.user().permissions(VIEW_USERS, EDIT_USERS).create(jdbc);
		mvc.perform(json(put("/api/1.0/users/{id}", editor.id()), "{\"firstname\": \"Myself\"}").with(as(editor)))
			.andExpect(status().isOk());
		mvc.perform(json(put("/api/1.0/users/{id}/permissions", editor.id()),
				"{\"permissions\": [\"view-users\", \"edit-users\", \"delete-users\"]}").with(as(editor)))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value(containsString("delete-users")));
		AccountState after = AccountState.of(jdbc, editor.id());
		assertThat(after.firstname()).isEqualTo("Myself");
		assertThat(after.direct()).containsExactly(EDIT_USERS, VIEW_USERS);
	}

	private MockHttpServletRequestBuilder request(Change change, User target, Group group, String newName,
			String newEmail) {
		String user = "/api/1.0/users/" + target.id();
		return switch (change) {
			case RENAME -> json(put(user), "{\"username\": \"" + newName + "\"}");
			case EMAIL -> json(put(user), "{\"email\": \"" + newEmail + "\"}");
			case FIRSTNAME -> json(put(user), "{\"firstname\": \"Changed\"}");
			case PASSWORD -> json(put(user), "{\"password\": \"a-new-password\"}");
			case DEACTIVATE -> json(put(user), "{\"active\": false}");
			case STRIP_PERMISSIONS -> json(put(user + "/permissions"), "{\"permissions\": []}");
			case DELETE -> delete(user);
			case JOIN_GROUP -> json(put("/api/1.0/groups/{id}/members", group.id()),
					"{\"users\": [" + target.id() + "]}");
			case LEAVE_GROUP -> json(put("/api/1.0/groups/{id}/members", group.id()), "{\"users\": []}");
		};
	}

	private User target(TargetKind kind, User actor) {
		return switch (kind) {
			case WEAKER -> TestAccounts.user().permissions(VIEW_USERS).create(jdbc);
			case SAME -> TestAccounts.user().permissions(EDITOR).create(jdbc);
			case SAME_THROUGH_GROUP -> TestAccounts.user().permissions(VIEW_USERS).permissionsThroughGroup(EDITOR)
				.create(jdbc);
			case STRONGER -> TestAccounts.user().permissions(plus(EDITOR, DELETE_AUTH_CLIENTS)).create(jdbc);
			case STRONGER_THROUGH_GROUP -> TestAccounts.user().permissions(VIEW_USERS)
				.permissionsThroughGroup(DELETE_AUTH_CLIENTS).create(jdbc);
			case ALL_TWELVE -> TestAccounts.user().permissions(VIEW_USERS).permissionsThroughGroup(ALL).create(jdbc);
			case SUPER_ADMIN -> TestAccounts.user().superAdmin().permissions(VIEW_USERS).create(jdbc);
			case SERVICE_ACCOUNT -> serviceAccount();
			case SELF -> actor;
		};
	}

	/** The service account of a new client-credentials client, given view-users. */
	private User serviceAccount() {
		long id = clients.create(new AuthClientDraft("matrix service " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of())).client().serviceAccountId();
		jdbc.sql("insert into account_permission (account_id, permission_name) values (:id, :name)")
			.param("id", id).param("name", VIEW_USERS).update();
		return TestAccounts.find(jdbc, id);
	}

	private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, String body) {
		return request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body);
	}

	private static Set<String> plus(Set<String> names, String name) {
		Set<String> all = new TreeSet<>(names);
		all.add(name);
		return all;
	}

	/** Everything a change could touch, read straight from the database; an absent account is {@code exists=false}. */
	record AccountState(boolean exists, String username, String email, String firstname, boolean active,
			String passwordHash, Set<String> direct, Set<Long> groups) {

		static AccountState of(JdbcClient jdbc, long id) {
			record Row(String username, String email, String firstname, boolean active, String passwordHash) {
			}
			return jdbc.sql("select username, email, firstname, active, password_hash from account where id = :id")
				.param("id", id)
				.query((rs, row) -> new Row(rs.getString("username"), rs.getString("email"), rs.getString("firstname"),
						rs.getBoolean("active"), rs.getString("password_hash")))
				.optional()
				.map(row -> new AccountState(true, row.username(), row.email(), row.firstname(), row.active(),
						row.passwordHash(),
						new TreeSet<>(jdbc.sql("select permission_name from account_permission where account_id = :id")
							.param("id", id).query(String.class).list()),
						new TreeSet<>(jdbc.sql("select group_id from group_member where account_id = :id")
							.param("id", id).query(Long.class).list())))
				.orElse(new AccountState(false, "", "", "", false, "", Set.of(), Set.of()));
		}

	}

}
