package io.gatehouse.accounts;

import io.gatehouse.signin.Permissions;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest
@AutoConfigureMockMvc
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:group-api;MODE=PostgreSQL;"
		+ "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH")
class GroupApiIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper jsonMapper;

	private User admin() {
		return TestAccounts.user().superAdmin().create(jdbc);
	}

	private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, String body) {
		return request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body);
	}

	private long memberCount(Group group) {
		return jdbc.sql("select count(*) from group_member where group_id = :id").param("id", group.id())
			.query(Long.class).single();
	}

	// the permission matrix

	@Test
	void routesWhenNotSignedInThen401() throws Exception {
		mvc.perform(get("/api/1.0/groups")).andExpect(status().isUnauthorized());
		mvc.perform(get("/api/1.0/permissions")).andExpect(status().isUnauthorized());
		mvc.perform(json(put("/api/1.0/groups/1/members"), "{\"users\":[]}")).andExpect(status().isUnauthorized());
	}

	@Test
	void routesWhenNoPermissionThen403() throws Exception {
		User nobody = TestAccounts.user().create(jdbc);
		Group group = TestGroups.group().create(jdbc);
		mvc.perform(get("/api/1.0/groups").with(TestAccounts.as(nobody))).andExpect(status().isForbidden());
		mvc.perform(get("/api/1.0/groups/" + group.id()).with(TestAccounts.as(nobody)))
			.andExpect(status().isForbidden());
		mvc.perform(json(post("/api/1.0/groups"), "{\"name\":\"x\"}").with(TestAccounts.as(nobody)))
			.andExpect(status().isForbidden());
		mvc.perform(json(put("/api/1.0/groups/" + group.id()), "{\"name\":\"x\"}").with(TestAccounts.as(nobody)))
			.andExpect(status().isForbidden());
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/members"), "{\"users\":[" + nobody.id() + "]}")
			.with(TestAccounts.as(nobody))).andExpect(status().isForbidden());
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/permissions"), "{\"permissions\":[]}")
			.with(TestAccounts.as(nobody))).andExpect(status().isForbidden());
		mvc.perform(delete("/api/1.0/groups/" + group.id()).with(csrf()).with(TestAccounts.as(nobody)))
			.andExpect(status().isForbidden());
		assertThat(memberCount(group)).isZero();
	}

	@Test
	void writesWhenViewOnlyThen403() throws Exception {
		User viewer = TestAccounts.user().permissions("view-groups").create(jdbc);
		Group group = TestGroups.group().create(jdbc);
		mvc.perform(get("/api/1.0/groups/" + group.id()).with(TestAccounts.as(viewer))).andExpect(status().isOk());
		mvc.perform(json(post("/api/1.0/groups"), "{\"name\":\"viewer group\"}").with(TestAccounts.as(viewer)))
			.andExpect(status().isForbidden());
		mvc.perform(json(put("/api/1.0/groups/" + group.id()), "{\"name\":\"renamed\"}").with(TestAccounts.as(viewer)))
			.andExpect(status().isForbidden());
		mvc.perform(delete("/api/1.0/groups/" + group.id()).with(csrf()).with(TestAccounts.as(viewer)))
			.andExpect(status().isForbidden());
	}

	@Test
	void editWhenViewAndEditThenUpdatedButNotDeleted() throws Exception {
		User editor = TestAccounts.user().permissions("view-groups", "edit-groups").create(jdbc);
		Group group = TestGroups.group().create(jdbc);
		mvc.perform(json(put("/api/1.0/groups/" + group.id()), "{\"description\":\"Edited\"}")
			.with(TestAccounts.as(editor)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.description").value("Edited"))
			.andExpect(jsonPath("$.name").value(group.name()));
		mvc.perform(delete("/api/1.0/groups/" + group.id()).with(csrf()).with(TestAccounts.as(editor)))
			.andExpect(status().isForbidden());
	}

	@Test
	void everyRouteWhenPermissionsThroughGroupThenAllowed() throws Exception {
		Group keepers = TestGroups.group().permissions("view-groups", "create-groups", "edit-groups", "delete-groups")
			.create(jdbc);
		User keeper = TestAccounts.user().inGroup(keepers.id()).create(jdbc);
		User member = TestAccounts.user().create(jdbc);
		String location = mvc.perform(json(post("/api/1.0/groups"), "{\"name\":\"Made via group\"}")
			.with(TestAccounts.as(keeper)))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.id").isNumber())
			.andReturn().getResponse().getHeader("Location");
		mvc.perform(json(put(location + "/members"), "{\"users\":[" + member.id() + "]}").with(TestAccounts.as(keeper)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.members[0].username").value(member.username()));
		mvc.perform(json(put(location + "/permissions"), "{\"permissions\":[\"view-groups\"]}")
			.with(TestAccounts.as(keeper)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.permissions[0]").value("view-groups"));
		mvc.perform(delete(location).with(csrf()).with(TestAccounts.as(keeper))).andExpect(status().isNoContent());
		mvc.perform(get(location).with(TestAccounts.as(keeper))).andExpect(status().isNotFound());
	}

	// validation

	@Test
	void createWhenNameMissingTooLongOrTakenThen422() throws Exception {
		User admin = admin();
		mvc.perform(json(post("/api/1.0/groups"), "{\"name\":\"  \"}").with(TestAccounts.as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.name[0]").value("The Name field is required."));
		mvc.perform(json(post("/api/1.0/groups"), "{\"name\":\"" + "n".repeat(256) + "\",\"description\":\""
				+ "d".repeat(1001) + "\"}").with(TestAccounts.as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.name[0]").value("The Name must not be greater than 255 characters."))
			.andExpect(jsonPath("$.errors.description[0]")
				.value("The Description must not be greater than 1000 characters."));
		mvc.perform(json(post("/api/1.0/groups"), "{\"name\":\" ADMINISTRATORS \"}").with(TestAccounts.as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.name[0]").value("The Name has already been taken."));
	}

	@Test
	void updateWhenShownBodySentBackUnchangedThen200AndNothingChanged() throws Exception {
		User member = TestAccounts.user().create(jdbc);
		Group group = TestGroups.group().description("Round trip").permissions("view-users").create(jdbc);
		User admin = admin();
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/members"), "{\"users\":[" + member.id() + "]}")
			.with(TestAccounts.as(admin))).andExpect(status().isOk());
		MockHttpServletResponse shown = mvc.perform(get("/api/1.0/groups/" + group.id()).with(TestAccounts.as(admin)))
			.andReturn().getResponse();
		long audited = auditCount(group);

		mvc.perform(json(put("/api/1.0/groups/" + group.id()), shown.getContentAsString())
			.header("If-Match", shown.getHeader("ETag"))
			.with(TestAccounts.as(admin)))
			.andExpect(status().isOk())
			.andExpect(header().string("ETag", shown.getHeader("ETag")));

		String after = mvc.perform(get("/api/1.0/groups/" + group.id()).with(TestAccounts.as(admin))).andReturn()
			.getResponse().getContentAsString();
		assertThat(jsonMapper.readTree(after)).isEqualTo(jsonMapper.readTree(shown.getContentAsString()));
		assertThat(auditCount(group)).isEqualTo(audited);
	}

	@Test
	void updateWhenShownBodySentBackWithNewNameThen200WithTheChangeOnly() throws Exception {
		User member = TestAccounts.user().create(jdbc);
		Group group = TestGroups.group().permissions("view-users").create(jdbc);
		User admin = admin();
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/members"), "{\"users\":[" + member.id() + "]}")
			.with(TestAccounts.as(admin))).andExpect(status().isOk());
		tools.jackson.databind.node.ObjectNode shown = (tools.jackson.databind.node.ObjectNode) jsonMapper.readTree(
				mvc.perform(get("/api/1.0/groups/" + group.id()).with(TestAccounts.as(admin))).andReturn().getResponse()
					.getContentAsString());
		String newName = group.name() + " renamed";
		shown.put("name", newName);

		mvc.perform(json(put("/api/1.0/groups/" + group.id()), jsonMapper.writeValueAsString(shown))
			.with(TestAccounts.as(admin)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.name").value(newName))
			.andExpect(jsonPath("$.permissions[0]").value("view-users"))
			.andExpect(jsonPath("$.members[0].id").value(member.id()));
		assertThat(memberCount(group)).isEqualTo(1);
	}

	private long auditCount(Group group) {
		return jdbc.sql("select count(*) from audit_record where subject_type = 'group' and subject_id = :id")
			.param("id", Long.toString(group.id()))
			.query(Long.class)
			.single();
	}

	@Test
	void updateWhenIfMatchStaleThen412() throws Exception {
		User admin = admin();
		Group group = TestGroups.group().create(jdbc);
		mvc.perform(get("/api/1.0/groups/" + group.id()).with(TestAccounts.as(admin)))
			.andExpect(header().string("ETag", "\"1\""));
		mvc.perform(json(put("/api/1.0/groups/" + group.id()), "{\"description\":\"one\"}").header("If-Match", "\"1\"")
			.with(TestAccounts.as(admin))).andExpect(status().isOk()).andExpect(header().string("ETag", "\"2\""));
		mvc.perform(json(put("/api/1.0/groups/" + group.id()), "{\"description\":\"two\"}").header("If-Match", "\"1\"")
			.with(TestAccounts.as(admin))).andExpect(status().isPreconditionFailed());
		assertThat(TestGroups.find(jdbc, group.name()).description()).isEqualTo("one");
	}

	@Test
	void setMembersWhenUnknownUserOrMissingFieldThen422AndNothingChanged() throws Exception {
		User admin = admin();
		Group group = TestGroups.group().create(jdbc);
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/members"), "{\"users\":[" + admin.id() + ",999999]}")
			.with(TestAccounts.as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.users[0]").value("The selected user 999999 is invalid."));
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/members"), "{}").with(TestAccounts.as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.users[0]").value("The users field is required."));
		assertThat(memberCount(group)).isZero();
	}

	@Test
	void setPermissionsWhenUnknownThen422() throws Exception {
		User admin = admin();
		Group group = TestGroups.group().create(jdbc);
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/permissions"), "{\"permissions\":[\"root\"]}")
			.with(TestAccounts.as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.permissions[0]").value("The selected permission \"root\" is invalid."));
	}

	// escalation rules

	@Test
	void setPermissionsWhenGrantingUnheldThen403NamingIt() throws Exception {
		User editor = TestAccounts.user().permissions("view-groups", "edit-groups").create(jdbc);
		Group group = TestGroups.group().create(jdbc);
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/permissions"),
				"{\"permissions\":[\"edit-groups\",\"create-users\"]}").with(TestAccounts.as(editor)))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value(containsString("create-users")));
		mvc.perform(json(post("/api/1.0/groups"), "{\"name\":\"escalating\",\"permissions\":[\"delete-users\"]}")
			.with(TestAccounts.as(TestAccounts.user().permissions("create-groups").create(jdbc))))
			.andExpect(status().isForbidden());
		assertThat(jdbc.sql("select count(*) from user_group where name_key = 'escalating'").query(Long.class)
			.single()).isZero();
	}

	@Test
	void setMembersWhenGroupHoldsUnheldPermissionThen403() throws Exception {
		User editor = TestAccounts.user().permissions("view-groups", "edit-groups").create(jdbc);
		Group administrators = TestGroups.find(jdbc, "Administrators");
		mvc.perform(json(put("/api/1.0/groups/" + administrators.id() + "/members"), "{\"users\":[" + editor.id()
				+ "]}")
			.with(TestAccounts.as(editor)))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value(containsString("which you do not hold")));
		assertThat(jdbc.sql("select count(*) from group_member where account_id = :id").param("id", editor.id())
			.query(Long.class).single()).isZero();
	}

	@Test
	void setMembersWhenEditorHoldsEveryGroupPermissionThenAddedAndRemovable() throws Exception {
		User editor = TestAccounts.user().permissions("view-groups", "edit-groups").create(jdbc);
		Group group = TestGroups.group().permissions("view-groups").create(jdbc);
		User member = TestAccounts.user().create(jdbc);
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/members"), "{\"users\":[" + member.id() + "]}")
			.with(TestAccounts.as(editor))).andExpect(status().isOk());
		assertThat(memberCount(group)).isEqualTo(1);
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/members"), "{\"users\":[]}")
			.with(TestAccounts.as(editor))).andExpect(status().isOk());
		assertThat(memberCount(group)).isZero();
	}

	@Test
	void removeMemberWhenGroupHoldsUnheldPermissionThen403AndMemberKept() throws Exception {
		User editor = TestAccounts.user().permissions("edit-groups").create(jdbc);
		Group powerful = TestGroups.group().permissions("delete-users").create(jdbc);
		TestAccounts.user().inGroup(powerful.id()).create(jdbc);
		mvc.perform(json(put("/api/1.0/groups/" + powerful.id() + "/members"), "{\"users\":[]}")
			.with(TestAccounts.as(editor)))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value("You cannot remove members from this group: it holds the permission "
					+ "\"delete-users\", which you do not hold yourself."));
		assertThat(memberCount(powerful)).isEqualTo(1);
	}

	@Test
	void removeMemberWhenMemberHoldsUnheldPermissionThen403AndMemberKept() throws Exception {
		User editor = TestAccounts.user().permissions("edit-groups", "view-groups").create(jdbc);
		Group group = TestGroups.group().permissions("view-groups").create(jdbc);
		User member = TestAccounts.user().permissions("delete-users").inGroup(group.id()).create(jdbc);
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/members"), "{\"users\":[]}")
			.with(TestAccounts.as(editor)))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value("You cannot remove \"" + member.username() + "\" from a group: they "
					+ "hold the permission \"delete-users\", which you do not hold yourself."));
		assertThat(memberCount(group)).isEqualTo(1);
	}

	// the protected Administrators group

	@Test
	void showWhenSeededAdministratorsThenProtected() throws Exception {
		User admin = admin();
		Group administrators = TestGroups.find(jdbc, "Administrators");
		Group other = TestGroups.group().create(jdbc);
		mvc.perform(get("/api/1.0/groups/" + administrators.id()).with(TestAccounts.as(admin)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.protected").value(true))
			.andExpect(jsonPath("$.permissions.length()").value(14));
		mvc.perform(get("/api/1.0/groups/" + other.id()).with(TestAccounts.as(admin)))
			.andExpect(jsonPath("$.protected").value(false));
		mvc.perform(get("/api/1.0/groups?filter=administrators").with(TestAccounts.as(admin)))
			.andExpect(jsonPath("$.data[0].protected").value(true));
	}

	@Test
	void updateWhenSuperAdminRenamesAndReducesProtectedGroupThenSaved() throws Exception {
		User admin = admin();
		Group administrators = TestGroups.find(jdbc, "Administrators");
		try {
			mvc.perform(json(put("/api/1.0/groups/" + administrators.id()),
					"{\"name\":\"Root\",\"permissions\":[\"view-users\"]}").with(TestAccounts.as(admin)))
				.andExpect(status().isOk())
				.andExpect(jsonPath("$.name").value("Root"))
				.andExpect(jsonPath("$.protected").value(true));
		}
		finally {
			jdbc.sql("update user_group set name = 'Administrators', name_key = 'administrators' where id = :id")
				.param("id", administrators.id()).update();
			jdbc.sql("insert into group_permission (group_id, permission_name) select :id, name from permission "
					+ "where name <> 'view-users'").param("id", administrators.id()).update();
		}
	}

	@Test
	void updateWhenHolderOfEveryPermissionAddsMemberOrDescribesProtectedGroupThenSaved() throws Exception {
		User holder = TestAccounts.user().permissions(Permissions.ALL).create(jdbc);
		User member = TestAccounts.user().create(jdbc);
		Group administrators = TestGroups.find(jdbc, "Administrators");
		mvc.perform(json(put("/api/1.0/groups/" + administrators.id() + "/members"), "{\"users\":[" + member.id()
				+ "]}")
			.with(TestAccounts.as(holder))).andExpect(status().isOk());
		mvc.perform(json(put("/api/1.0/groups/" + administrators.id()), "{\"description\":\"Everything.\"}")
			.with(TestAccounts.as(holder)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.description").value("Everything."));
		assertThat(memberCount(administrators)).isEqualTo(1);
		jdbc.sql("delete from group_member where group_id = :id").param("id", administrators.id()).update();
		jdbc.sql("update user_group set description = 'Holds every permission.' where id = :id")
			.param("id", administrators.id()).update();
	}

	// bad input

	@Test
	void requestsWhenMalformedOrWrongTypesThen400() throws Exception {
		User admin = admin();
		Group group = TestGroups.group().create(jdbc);
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/members"), "{\"users\":[\"abc\"]}")
			.with(TestAccounts.as(admin))).andExpect(status().isBadRequest());
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/members"), "{\"users\":5")
			.with(TestAccounts.as(admin))).andExpect(status().isBadRequest());
		mvc.perform(json(put("/api/1.0/groups/" + group.id()), "{\"name\":[1]}").with(TestAccounts.as(admin)))
			.andExpect(status().isBadRequest());
		mvc.perform(get("/api/1.0/groups/x").with(TestAccounts.as(admin))).andExpect(status().isBadRequest());
	}

	@Test
	void listWhenFilterHasNulThen422NamingFilterNot500() throws Exception {
		mvc.perform(get("/api/1.0/groups").param("filter", "a\u0000b").with(TestAccounts.as(admin())))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.filter[0]").value("The filter field must not contain control characters."));
	}

	@Test
	void requestsWhenUnknownIdThen404() throws Exception {
		User admin = admin();
		mvc.perform(get("/api/1.0/groups/999999").with(TestAccounts.as(admin))).andExpect(status().isNotFound());
		mvc.perform(json(put("/api/1.0/groups/999999/members"), "{\"users\":[]}").with(TestAccounts.as(admin)))
			.andExpect(status().isNotFound());
		mvc.perform(json(put("/api/1.0/groups/999999/permissions"),
				"{\"permissions\":[]}").with(TestAccounts.as(admin)))
			.andExpect(status().isNotFound());
		mvc.perform(delete("/api/1.0/groups/999999").with(csrf()).with(TestAccounts.as(admin)))
			.andExpect(status().isNotFound());
	}

	@Test
	void listWhenFilteredThenMatchingGroupsOnly() throws Exception {
		TestGroups.group().name("Filter Alpha").create(jdbc);
		TestGroups.group().name("Filter Beta").create(jdbc);
		mvc.perform(get("/api/1.0/groups?filter=filter&order_by=name&order_direction=desc")
			.with(TestAccounts.as(admin())))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.meta.total").value(2))
			.andExpect(jsonPath("$.data[0].name").value("Filter Beta"));
	}

}
