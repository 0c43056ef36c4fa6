package io.gatehouse.accounts;

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
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:group-api;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH")
class GroupApiIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper jsonMapper;

	private User admin() {
		return TestUsers.user().superAdmin().create(jdbc);
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
		User nobody = TestUsers.user().create(jdbc);
		Group group = TestGroups.group().create(jdbc);
		mvc.perform(get("/api/1.0/groups").with(TestUsers.as(nobody))).andExpect(status().isForbidden());
		mvc.perform(get("/api/1.0/groups/" + group.id()).with(TestUsers.as(nobody))).andExpect(status().isForbidden());
		mvc.perform(json(post("/api/1.0/groups"), "{\"name\":\"x\"}").with(TestUsers.as(nobody)))
			.andExpect(status().isForbidden());
		mvc.perform(json(put("/api/1.0/groups/" + group.id()), "{\"name\":\"x\"}").with(TestUsers.as(nobody)))
			.andExpect(status().isForbidden());
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/members"), "{\"users\":[" + nobody.id() + "]}")
			.with(TestUsers.as(nobody))).andExpect(status().isForbidden());
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/permissions"), "{\"permissions\":[]}")
			.with(TestUsers.as(nobody))).andExpect(status().isForbidden());
		mvc.perform(delete("/api/1.0/groups/" + group.id()).with(csrf()).with(TestUsers.as(nobody)))
			.andExpect(status().isForbidden());
		assertThat(memberCount(group)).isZero();
	}

	@Test
	void writesWhenViewOnlyThen403() throws Exception {
		User viewer = TestUsers.user().permissions("view-groups").create(jdbc);
		Group group = TestGroups.group().create(jdbc);
		mvc.perform(get("/api/1.0/groups/" + group.id()).with(TestUsers.as(viewer))).andExpect(status().isOk());
		mvc.perform(json(post("/api/1.0/groups"), "{\"name\":\"viewer group\"}").with(TestUsers.as(viewer)))
			.andExpect(status().isForbidden());
		mvc.perform(json(put("/api/1.0/groups/" + group.id()), "{\"name\":\"renamed\"}").with(TestUsers.as(viewer)))
			.andExpect(status().isForbidden());
		mvc.perform(delete("/api/1.0/groups/" + group.id()).with(csrf()).with(TestUsers.as(viewer)))
			.andExpect(status().isForbidden());
	}

	@Test
	void editWhenViewAndEditThenUpdatedButNotDeleted() throws Exception {
		User editor = TestUsers.user().permissions("view-groups", "edit-groups").create(jdbc);
		Group group = TestGroups.group().create(jdbc);
		mvc.perform(json(put("/api/1.0/groups/" + group.id()), "{\"description\":\"Edited\"}")
			.with(TestUsers.as(editor)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.description").value("Edited"))
			.andExpect(jsonPath("$.name").value(group.name()));
		mvc.perform(delete("/api/1.0/groups/" + group.id()).with(csrf()).with(TestUsers.as(editor)))
			.andExpect(status().isForbidden());
	}

	@Test
	void everyRouteWhenPermissionsThroughGroupThenAllowed() throws Exception {
		Group keepers = TestGroups.group().permissions("view-groups", "create-groups", "edit-groups", "delete-groups")
			.create(jdbc);
		User keeper = TestUsers.user().inGroup(keepers.id()).create(jdbc);
		User member = TestUsers.user().create(jdbc);
		String location = mvc.perform(json(post("/api/1.0/groups"), "{\"name\":\"Made via group\"}")
			.with(TestUsers.as(keeper)))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.id").isNumber())
			.andReturn().getResponse().getHeader("Location");
		mvc.perform(json(put(location + "/members"), "{\"users\":[" + member.id() + "]}").with(TestUsers.as(keeper)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.members[0].username").value(member.username()));
		mvc.perform(json(put(location + "/permissions"), "{\"permissions\":[\"view-groups\"]}")
			.with(TestUsers.as(keeper)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.permissions[0]").value("view-groups"));
		mvc.perform(delete(location).with(csrf()).with(TestUsers.as(keeper))).andExpect(status().isNoContent());
		mvc.perform(get(location).with(TestUsers.as(keeper))).andExpect(status().isNotFound());
	}

	// validation

	@Test
	void createWhenNameMissingTooLongOrTakenThen422() throws Exception {
		User admin = admin();
		mvc.perform(json(post("/api/1.0/groups"), "{\"name\":\"  \"}").with(TestUsers.as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.name[0]").value("The Name field is required."));
		mvc.perform(json(post("/api/1.0/groups"), "{\"name\":\"" + "n".repeat(256) + "\",\"description\":\""
				+ "d".repeat(1001) + "\"}").with(TestUsers.as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.name[0]").value("The Name must not be greater than 255 characters."))
			.andExpect(jsonPath("$.errors.description[0]")
				.value("The Description must not be greater than 1000 characters."));
		mvc.perform(json(post("/api/1.0/groups"), "{\"name\":\" ADMINISTRATORS \"}").with(TestUsers.as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.name[0]").value("The Name has already been taken."));
	}

	@Test
	void updateWhenShownBodySentBackUnchangedThen200AndNothingChanged() throws Exception {
		User member = TestUsers.user().create(jdbc);
		Group group = TestGroups.group().description("Round trip").permissions("view-users").create(jdbc);
		User admin = admin();
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/members"), "{\"users\":[" + member.id() + "]}")
			.with(TestUsers.as(admin))).andExpect(status().isOk());
		MockHttpServletResponse shown = mvc.perform(get("/api/1.0/groups/" + group.id()).with(TestUsers.as(admin)))
			.andReturn().getResponse();
		long audited = auditCount(group);

		mvc.perform(json(put("/api/1.0/groups/" + group.id()), shown.getContentAsString())
			.header("If-Match", shown.getHeader("ETag"))
			.with(TestUsers.as(admin)))
			.andExpect(status().isOk())
			.andExpect(header().string("ETag", shown.getHeader("ETag")));

		String after = mvc.perform(get("/api/1.0/groups/" + group.id()).with(TestUsers.as(admin))).andReturn()
			.getResponse().getContentAsString();
		assertThat(jsonMapper.readTree(after)).isEqualTo(jsonMapper.readTree(shown.getContentAsString()));
		assertThat(auditCount(group)).isEqualTo(audited);
	}

	@Test
	void updateWhenShownBodySentBackWithNewNameThen200WithTheChangeOnly() throws Exception {
		User member = TestUsers.user().create(jdbc);
		Group group = TestGroups.group().permissions("view-users").create(jdbc);
		User admin = admin();
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/members"), "{\"users\":[" + member.id() + "]}")
			.with(TestUsers.as(admin))).andExpect(status().isOk());
		tools.jackson.databind.node.ObjectNode shown = (tools.jackson.databind.node.ObjectNode) jsonMapper.readTree(
				mvc.perform(get("/api/1.0/groups/" + group.id()).with(TestUsers.as(admin))).andReturn().getResponse()
					.getContentAsString());
		String newName = group.name() + " renamed";
		shown.put("name", newName);

		mvc.perform(json(put("/api/1.0/groups/" + group.id()), jsonMapper.writeValueAsString(shown))
			.with(TestUsers.as(admin)))
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
		mvc.perform(get("/api/1.0/groups/" + group.id()).with(TestUsers.as(admin)))
			.andExpect(header().string("ETag", "\"1\""));
		mvc.perform(json(put("/api/1.0/groups/" + group.id()), "{\"description\":\"one\"}").header("If-Match", "\"1\"")
			.with(TestUsers.as(admin))).andExpect(status().isOk()).andExpect(header().string("ETag", "\"2\""));
		mvc.perform(json(put("/api/1.0/groups/" + group.id()), "{\"description\":\"two\"}").header("If-Match", "\"1\"")
			.with(TestUsers.as(admin))).andExpect(status().isPreconditionFailed());
		assertThat(TestGroups.find(jdbc, group.name()).description()).isEqualTo("one");
	}

	@Test
	void setMembersWhenUnknownUserOrMissingFieldThen422AndNothingChanged() throws Exception {
		User admin = admin();
		Group group = TestGroups.group().create(jdbc);
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/members"), "{\"users\":[" + admin.id() + ",999999]}")
			.with(TestUsers.as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.users[0]").value("The selected user 999999 is invalid."));
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/members"), "{}").with(TestUsers.as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.users[0]").value("The users field is required."));
		assertThat(memberCount(group)).isZero();
	}

	@Test
	void setPermissionsWhenUnknownThen422() throws Exception {
		User admin = admin();
		Group group = TestGroups.group().create(jdbc);
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/permissions"), "{\"permissions\":[\"root\"]}")
			.with(TestUsers.as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.permissions[0]").value("The selected permission \"root\" is invalid."));
	}

	// escalation rules

	@Test
	void setPermissionsWhenGrantingUnheldThen403NamingIt() throws Exception {
		User editor = TestUsers.user().permissions("view-groups", "edit-groups").create(jdbc);
		Group group = TestGroups.group().create(jdbc);
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/permissions"),
				"{\"permissions\":[\"edit-groups\",\"create-users\"]}").with(TestUsers.as(editor)))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value(containsString("create-users")));
		mvc.perform(json(post("/api/1.0/groups"), "{\"name\":\"escalating\",\"permissions\":[\"delete-users\"]}")
			.with(TestUsers.as(TestUsers.user().permissions("create-groups").create(jdbc))))
			.andExpect(status().isForbidden());
		assertThat(jdbc.sql("select count(*) from user_group where name_key = 'escalating'").query(Long.class)
			.single()).isZero();
	}

	@Test
	void setMembersWhenGroupHoldsUnheldPermissionThen403() throws Exception {
		User editor = TestUsers.user().permissions("view-groups", "edit-groups").create(jdbc);
		Group administrators = TestGroups.find(jdbc, "Administrators");
		mvc.perform(json(put("/api/1.0/groups/" + administrators.id() + "/members"), "{\"users\":[" + editor.id() + "]}")
			.with(TestUsers.as(editor)))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value(containsString("which you do not hold")));
		assertThat(jdbc.sql("select count(*) from group_member where account_id = :id").param("id", editor.id())
			.query(Long.class).single()).isZero();
	}

	@Test
	void setMembersWhenEditorHoldsEveryGroupPermissionThenAddedAndRemovable() throws Exception {
		User editor = TestUsers.user().permissions("view-groups", "edit-groups").create(jdbc);
		Group group = TestGroups.group().permissions("view-groups").create(jdbc);
		User member = TestUsers.user().create(jdbc);
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/members"), "{\"users\":[" + member.id() + "]}")
			.with(TestUsers.as(editor))).andExpect(status().isOk());
		assertThat(memberCount(group)).isEqualTo(1);
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/members"), "{\"users\":[]}")
			.with(TestUsers.as(editor))).andExpect(status().isOk());
		assertThat(memberCount(group)).isZero();
	}

	@Test
	void removeMemberWhenGroupHoldsUnheldPermissionThenAllowed() throws Exception {
		User editor = TestUsers.user().permissions("edit-groups").create(jdbc);
		Group powerful = TestGroups.group().permissions("delete-users").create(jdbc);
		User member = TestUsers.user().inGroup(powerful.id()).create(jdbc);
		mvc.perform(json(put("/api/1.0/groups/" + powerful.id() + "/members"), "{\"users\":[]}")
			.with(TestUsers.as(editor))).andExpect(status().isOk());
		assertThat(memberCount(powerful)).isZero();
		assertThat(member.id()).isPositive();
	}

	// bad input

	@Test
	void requestsWhenMalformedOrWrongTypesThen400() throws Exception {
		User admin = admin();
		Group group = TestGroups.group().create(jdbc);
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/members"), "{\"users\":[\"abc\"]}")
			.with(TestUsers.as(admin))).andExpect(status().isBadRequest());
		mvc.perform(json(put("/api/1.0/groups/" + group.id() + "/members"), "{\"users\":5")
			.with(TestUsers.as(admin))).andExpect(status().isBadRequest());
		mvc.perform(json(put("/api/1.0/groups/" + group.id()), "{\"name\":[1]}").with(TestUsers.as(admin)))
			.andExpect(status().isBadRequest());
		mvc.perform(get("/api/1.0/groups/x").with(TestUsers.as(admin))).andExpect(status().isBadRequest());
	}

	@Test
	void listWhenFilterHasNulThen422NamingFilterNot500() throws Exception {
		mvc.perform(get("/api/1.0/groups").param("filter", "a\u0000b").with(TestUsers.as(admin())))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.filter[0]").value("The filter field must not contain control characters."));
	}

	@Test
	void requestsWhenUnknownIdThen404() throws Exception {
		User admin = admin();
		mvc.perform(get("/api/1.0/groups/999999").with(TestUsers.as(admin))).andExpect(status().isNotFound());
		mvc.perform(json(put("/api/1.0/groups/999999/members"), "{\"users\":[]}").with(TestUsers.as(admin)))
			.andExpect(status().isNotFound());
		mvc.perform(json(put("/api/1.0/groups/999999/permissions"), "{\"permissions\":[]}").with(TestUsers.as(admin)))
			.andExpect(status().isNotFound());
		mvc.perform(delete("/api/1.0/groups/999999").with(csrf()).with(TestUsers.as(admin)))
			.andExpect(status().isNotFound());
	}

	@Test
	void listWhenFilteredThenMatchingGroupsOnly() throws Exception {
		TestGroups.group().name("Filter Alpha").create(jdbc);
		TestGroups.group().name("Filter Beta").create(jdbc);
		mvc.perform(get("/api/1.0/groups?filter=filter&order_by=name&order_direction=desc")
			.with(TestUsers.as(admin())))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.meta.total").value(2))
			.andExpect(jsonPath("$.data[0].name").value("Filter Beta"));
	}

}
