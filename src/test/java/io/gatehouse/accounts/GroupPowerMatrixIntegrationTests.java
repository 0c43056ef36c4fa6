package io.gatehouse.accounts;

import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import io.gatehouse.accounts.UserPowerMatrixIntegrationTests.ActorKind;
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
import static io.gatehouse.signin.Permissions.EDIT_GROUPS;
import static io.gatehouse.signin.Permissions.VIEW_GROUPS;
import static io.gatehouse.signin.Permissions.VIEW_USERS;
import static io.gatehouse.accounts.UserPowerMatrixIntegrationTests.EDITOR;
import static io.gatehouse.support.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The actor's power against a group's: changing a group's name, description, permissions or members, or deleting it,
 * is allowed exactly when the actor holds every permission the group holds before the change; a protected group
 * (the seeded Administrators) keeps its name, its permissions and its existence unless a super admin changes them.
 * Each case asserts the exact status and re-reads the group: changed when allowed, untouched when refused.
 */
@GatehouseIntegrationTest
class GroupPowerMatrixIntegrationTests {

	enum GroupKind {

		WEAKER, SAME, STRONGER, PROTECTED;

		Set<String> holds() {
			return switch (this) {
				case WEAKER -> Set.of(VIEW_USERS, VIEW_GROUPS);
				case SAME -> EDITOR;
				case STRONGER -> plus(EDITOR, DELETE_AUTH_CLIENTS);
				case PROTECTED -> Set.copyOf(ALL);
			};
		}

	}

	enum Change {

		RENAME(200), DESCRIBE(200), REDUCE_PERMISSIONS(200), EMPTY_PERMISSIONS(200), EMPTY_THROUGH_UPDATE(200),
		ADD_MEMBER(200), REMOVE_MEMBER(200), DELETE(204);

		final int status;

		Change(int status) {
			this.status = status;
		}

		/** What a protected group refuses from anyone but a super admin. */
		boolean touchesProtection() {
			return this == RENAME || this == REDUCE_PERMISSIONS || this == EMPTY_PERMISSIONS
					|| this == EMPTY_THROUGH_UPDATE || this == DELETE;
		}

	}

	static int expectedStatus(ActorKind actor, GroupKind group, Change change) {
		boolean superAdmin = actor == ActorKind.SUPER_ADMIN;
		boolean mayChange = superAdmin || actor.holds().containsAll(group.holds());
		if (!mayChange || (group == GroupKind.PROTECTED && !superAdmin && change.touchesProtection())) {
			return 403;
		}
		return change.status;
	}

	static Stream<Arguments> cases() {
		return EnumSet.allOf(ActorKind.class).stream()
			.flatMap(actor -> EnumSet.allOf(GroupKind.class).stream()
				.flatMap(group -> EnumSet.allOf(Change.class).stream()
					.map(change -> Arguments.of(actor, group, change))));
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@ParameterizedTest(name = "{2} of {1} group by {0}")
	@MethodSource("cases")
	void changeWhenActorAgainstGroupThenAllowedExactlyWhenActorHoldsAllGroupHolds(ActorKind actorKind,
			GroupKind groupKind, Change change) throws Exception {
		User actor = actorKind.create(jdbc);
		Group group = TestGroups.group().permissions(groupKind.holds().toArray(String[]::new)).create(jdbc);
		if (groupKind == GroupKind.PROTECTED) {
			jdbc.sql("update user_group set protected = true where id = :id").param("id", group.id()).update();
		}
		// a member who holds nothing, so only the group's power decides the member cases
		User member = TestAccounts.user().create(jdbc);
		if (change == Change.REMOVE_MEMBER) {
			jdbc.sql("insert into group_member (group_id, account_id) values (:g, :a)")
				.param("g", group.id()).param("a", member.id()).update();
		}
		String newName = "Renamed " + UUID.randomUUID();
		GroupState before = GroupState.of(jdbc, group.id());

		MockHttpServletResponse response = mvc.perform(request(change, group, member, newName)
			.with(as(actor)).with(csrf())).andReturn().getResponse();

		String what = change + " of " + groupKind + " by " + actorKind + ": " + response.getContentAsString();
		int expected = expectedStatus(actorKind, groupKind, change);
		assertThat(response.getStatus()).as(what).isEqualTo(expected);
		GroupState after = GroupState.of(jdbc, group.id());
		if (expected >= 400) {
			assertThat(after).as("%s: a refused change leaves the group as it was", what).isEqualTo(before);
			return;
		}
		switch (change) {
			case RENAME -> assertThat(after.name()).as(what).isEqualTo(newName);
			case DESCRIBE -> assertThat(after.description()).as(what).isEqualTo("Changed");
			case REDUCE_PERMISSIONS -> assertThat(after.permissions()).as(what).containsExactly(VIEW_USERS);
			case EMPTY_PERMISSIONS, EMPTY_THROUGH_UPDATE -> assertThat(after.permissions()).as(what).isEmpty();
			case ADD_MEMBER -> assertThat(after.members()).as(what).containsExactly(member.id());
			case REMOVE_MEMBER -> assertThat(after.members()).as(what).isEmpty();
			case DELETE -> assertThat(after.exists()).as(what).isFalse();
		}
	}

	// two steps, on the seeded group: emptying it first opens no door

	@Test
	void emptyAdministratorsThenJoinWhenEditorHoldsOnlyViewAndEditGroupsThenBothRefused() throws Exception {
		User editor = TestAccounts.user().permissions(VIEW_GROUPS, EDIT_GROUPS).create(jdbc);
		Group administrators = TestGroups.find(jdbc, "Administrators");
		GroupState before = GroupState.of(jdbc, administrators.id());

		mvc.perform(json(put("/api/1.0/groups/{id}", administrators.id()), "{\"permissions\": []}").with(as(editor)))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value("You cannot change the group \"Administrators\": it holds the "
					+ "permission \"create-auth_clients\", which you do not hold yourself."));
		mvc.perform(json(put("/api/1.0/groups/{id}/permissions", administrators.id()), "{\"permissions\": []}")
			.with(as(editor))).andExpect(status().isForbidden());
		mvc.perform(json(put("/api/1.0/groups/{id}/members", administrators.id()),
				"{\"users\": [" + editor.id() + "]}").with(as(editor))).andExpect(status().isForbidden());

		assertThat(GroupState.of(jdbc, administrators.id())).isEqualTo(before);
		assertThat(before.permissions()).hasSize(14);
	}

	@Test
	void emptyAdministratorsWhenActorHoldsEveryPermissionButIsNoSuperAdminThenRefusedAsProtected() throws Exception {
		User holder = TestAccounts.user().permissions(ALL).create(jdbc);
		Group administrators = TestGroups.find(jdbc, "Administrators");
		GroupState before = GroupState.of(jdbc, administrators.id());

		mvc.perform(json(put("/api/1.0/groups/{id}/permissions", administrators.id()), "{\"permissions\": []}")
			.with(as(holder)))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value("The group \"Administrators\" is protected: only a super admin can "
					+ "remove its permissions."));
		mvc.perform(json(put("/api/1.0/groups/{id}", administrators.id()), "{\"name\": \"Nobodies\"}")
			.with(as(holder)))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value("The group \"Administrators\" is protected: only a super admin can "
					+ "rename it."));
		mvc.perform(delete("/api/1.0/groups/{id}", administrators.id()).with(csrf()).with(as(holder)))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value("The group \"Administrators\" is protected: only a super admin can "
					+ "delete it."));

		assertThat(GroupState.of(jdbc, administrators.id())).isEqualTo(before);
	}

	private MockHttpServletRequestBuilder request(Change change, Group group, User member, String newName) {
		String path = "/api/1.0/groups/" + group.id();
		return switch (change) {
			case RENAME -> json(put(path), "{\"name\": \"" + newName + "\"}");
			case DESCRIBE -> json(put(path), "{\"description\": \"Changed\"}");
			case REDUCE_PERMISSIONS -> json(put(path + "/permissions"), "{\"permissions\": [\"view-users\"]}");
			case EMPTY_PERMISSIONS -> json(put(path + "/permissions"), "{\"permissions\": []}");
			case EMPTY_THROUGH_UPDATE -> json(put(path), "{\"permissions\": []}");
			case ADD_MEMBER -> json(put(path + "/members"), "{\"users\": [" + member.id() + "]}");
			case REMOVE_MEMBER -> json(put(path + "/members"), "{\"users\": []}");
			case DELETE -> delete(path);
		};
	}

	private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, String body) {
		return request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body);
	}

	private static Set<String> plus(Set<String> names, String name) {
		Set<String> all = new TreeSet<>(names);
		all.add(name);
		return all;
	}

	/** Everything a change could touch, read straight from the database; a deleted group is {@code exists=false}. */
	record GroupState(boolean exists, String name, String description, Set<String> permissions, Set<Long> members) {

		static GroupState of(JdbcClient jdbc, long id) {
			record Row(String name, String description) {
			}
			return jdbc.sql("select name, description from user_group where id = :id")
				.param("id", id)
				.query((rs, row) -> new Row(rs.getString("name"), rs.getString("description")))
				.optional()
				.map(row -> new GroupState(true, row.name(), row.description(),
						new TreeSet<>(jdbc.sql("select permission_name from group_permission where group_id = :id")
							.param("id", id).query(String.class).list()),
						new TreeSet<>(jdbc.sql("select account_id from group_member where group_id = :id")
							.param("id", id).query(Long.class).list())))
				.orElse(new GroupState(false, "", "", Set.of(), Set.of()));
		}

	}

}
