package io.gatehouse.accounts;

import io.gatehouse.signin.Permissions;
import io.gatehouse.support.TestAccounts;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest
@AutoConfigureMockMvc
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:group-console;MODE=PostgreSQL;"
		+ "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH")
class GroupConsoleIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	private long memberCount(Group group) {
		return jdbc.sql("select count(*) from group_member where group_id = :id").param("id", group.id())
			.query(Long.class).single();
	}

	@Test
	void pagesWhenNotSignedInThenRedirectToLogin() throws Exception {
		mvc.perform(get("/admin/groups")).andExpect(redirectedUrl("/login"));
		mvc.perform(post("/admin/groups").param("name", "anon").with(csrf())).andExpect(redirectedUrl("/login"));
	}

	@Test
	void everyRouteWhenNoPermissionThen403() throws Exception {
		User nobody = TestAccounts.user().create(jdbc);
		Group group = TestGroups.group().create(jdbc);
		String base = "/admin/groups/" + group.id();
		mvc.perform(get("/admin/groups").with(TestAccounts.as(nobody))).andExpect(status().isForbidden());
		mvc.perform(get("/admin/groups/new").with(TestAccounts.as(nobody))).andExpect(status().isForbidden());
		mvc.perform(get(base + "/edit").with(TestAccounts.as(nobody))).andExpect(status().isForbidden());
		mvc.perform(post("/admin/groups").param("name", "x").with(csrf()).with(TestAccounts.as(nobody)))
			.andExpect(status().isForbidden());
		mvc.perform(post(base).param("name", "x").with(csrf()).with(TestAccounts.as(nobody)))
			.andExpect(status().isForbidden());
		mvc.perform(post(base + "/members").param("username", nobody.username()).with(csrf())
			.with(TestAccounts.as(nobody))).andExpect(status().isForbidden());
		mvc.perform(post(base + "/members/" + nobody.id() + "/delete").with(csrf()).with(TestAccounts.as(nobody)))
			.andExpect(status().isForbidden());
		mvc.perform(post(base + "/delete").with(csrf()).with(TestAccounts.as(nobody)))
			.andExpect(status().isForbidden());
		assertThat(memberCount(group)).isZero();
	}

	@Test
	void listWhenViewOnlyThenNoControls() throws Exception {
		User viewer = TestAccounts.user().permissions("view-groups").create(jdbc);
		mvc.perform(get("/admin/groups").with(TestAccounts.as(viewer)))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("Administrators"), not(containsString("Create Group")),
					not(containsString("/edit")), not(containsString("Delete the group")))));
	}

	@Test
	void listWhenSuperAdminThenAllControls() throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		mvc.perform(get("/admin/groups").with(TestAccounts.as(admin)))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("Create Group"), containsString("/edit"),
					containsString("Delete the group Administrators?"))));
	}

	@Test
	void createWhenValidThenFlashAndSavedWithPermissions() throws Exception {
		User creator = TestAccounts.user().permissions("view-groups", "create-groups").create(jdbc);
		mvc.perform(post("/admin/groups").param("name", "Console Group")
			.param("description", "Made here")
			.param("permissions", "view-groups")
			.with(csrf())
			.with(TestAccounts.as(creator)))
			.andExpect(redirectedUrl("/admin/groups"))
			.andExpect(flash().attribute("flash", "The group was created."));
		Group made = TestGroups.find(jdbc, "console group");
		assertThat(made.description()).isEqualTo("Made here");
	}

	@Test
	void createWhenInvalidThenErrorsShownAndValuesKept() throws Exception {
		User creator = TestAccounts.user().permissions("create-groups").create(jdbc);
		mvc.perform(post("/admin/groups").param("name", "administrators")
			.param("description", "kept description")
			.with(csrf())
			.with(TestAccounts.as(creator)))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("The Name has already been taken."),
					containsString("kept description"), containsString("value=\"administrators\""))));
	}

	@Test
	void editWhenOpenedThenPrefilledWithMembers() throws Exception {
		User editor = TestAccounts.user().permissions("edit-groups").create(jdbc);
		Group group = TestGroups.group().name("Edit Me").create(jdbc);
		TestAccounts.user().username("listed-member").inGroup(group.id()).create(jdbc);
		mvc.perform(get("/admin/groups/" + group.id() + "/edit").with(TestAccounts.as(editor)))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("Edit Group"), containsString("value=\"Edit Me\""),
					containsString("listed-member"), containsString("Add Member"))));
	}

	@Test
	void updateWhenValidThenFlash() throws Exception {
		User editor = TestAccounts.user().permissions("view-groups", "edit-groups").create(jdbc);
		Group group = TestGroups.group().create(jdbc);
		mvc.perform(post("/admin/groups/" + group.id()).param("name", "Renamed Group")
			.param("description", "")
			.param("version", "1")
			.with(csrf())
			.with(TestAccounts.as(editor)))
			.andExpect(redirectedUrl("/admin/groups"))
			.andExpect(flash().attribute("flash", "The group was saved."));
		assertThat(TestGroups.find(jdbc, "Renamed Group").id()).isEqualTo(group.id());
	}

	@Test
	void addMemberWhenAllowedThenFlashAndMember() throws Exception {
		User editor = TestAccounts.user().permissions("edit-groups").create(jdbc);
		Group group = TestGroups.group().permissions("edit-groups").create(jdbc);
		User member = TestAccounts.user().create(jdbc);
		mvc.perform(post("/admin/groups/" + group.id() + "/members").param("username", member.username().toUpperCase())
			.with(csrf())
			.with(TestAccounts.as(editor)))
			.andExpect(redirectedUrl("/admin/groups/" + group.id() + "/edit"))
			.andExpect(flash().attribute("flash", "The member was added."));
		assertThat(memberCount(group)).isEqualTo(1);
		mvc.perform(post("/admin/groups/" + group.id() + "/members/" + member.id() + "/delete").with(csrf())
			.with(TestAccounts.as(editor)))
			.andExpect(flash().attribute("flash", "The member was removed."));
		assertThat(memberCount(group)).isZero();
	}

	@Test
	void addMemberWhenUnknownUsernameThenErrorNextToFieldAndValueKept() throws Exception {
		User editor = TestAccounts.user().permissions("edit-groups").create(jdbc);
		Group group = TestGroups.group().create(jdbc);
		mvc.perform(post("/admin/groups/" + group.id() + "/members").param("username", "no-such-user")
			.with(csrf())
			.with(TestAccounts.as(editor)))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("The selected Username is invalid."),
					containsString("value=\"no-such-user\""))));
	}

	@Test
	void addMemberWhenGroupHoldsUnheldPermissionThenRefusedWithReason() throws Exception {
		User editor = TestAccounts.user().permissions("edit-groups").create(jdbc);
		Group administrators = TestGroups.find(jdbc, "Administrators");
		mvc.perform(post("/admin/groups/" + administrators.id() + "/members").param("username", editor.username())
			.with(csrf())
			.with(TestAccounts.as(editor)))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("You cannot add members to this group")));
		assertThat(jdbc.sql("select count(*) from group_member where account_id = :id").param("id", editor.id())
			.query(Long.class).single()).isZero();
	}

	@Test
	void deleteWhenAllowedThenFlashAndGone() throws Exception {
		User deleter = TestAccounts.user().permissions("view-groups", "delete-groups").create(jdbc);
		Group group = TestGroups.group().create(jdbc);
		mvc.perform(post("/admin/groups/" + group.id() + "/delete").with(csrf()).with(TestAccounts.as(deleter)))
			.andExpect(redirectedUrl("/admin/groups"))
			.andExpect(flash().attribute("flash", "The group was deleted."));
		assertThat(jdbc.sql("select count(*) from user_group where id = :id").param("id", group.id())
			.query(Long.class).single()).isZero();
	}

	@Test
	void listWhenSeededAdministratorsThenProtectedBadgeAndDeleteOnlyForSuperAdmin() throws Exception {
		User holder = TestAccounts.user().permissions(Permissions.ALL).create(jdbc);
		Group administrators = TestGroups.find(jdbc, "Administrators");
		Document page = Jsoup.parse(mvc.perform(get("/admin/groups?filter=administrators")
			.with(TestAccounts.as(holder)))
			.andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
		assertThat(page.select(".protected-badge").text()).isEqualTo("Protected");
		assertThat(page.select("form[action=/admin/groups/" + administrators.id() + "/delete]")).isEmpty();
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		page = Jsoup.parse(mvc.perform(get("/admin/groups?filter=administrators").with(TestAccounts.as(admin)))
			.andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
		assertThat(page.select("form[action=/admin/groups/" + administrators.id() + "/delete]")).hasSize(1);
	}

	@Test
	void editFormWhenProtectedGroupThenBadgeAndReason() throws Exception {
		User holder = TestAccounts.user().permissions(Permissions.ALL).create(jdbc);
		Group administrators = TestGroups.find(jdbc, "Administrators");
		Document page = Jsoup.parse(mvc.perform(get("/admin/groups/" + administrators.id() + "/edit")
			.with(TestAccounts.as(holder))).andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
		assertThat(page.select(".protected-badge").text()).isEqualTo("Protected");
		assertThat(page.text()).contains("Only a super admin can rename this group, remove its permissions or "
				+ "delete it.");
	}

	@Test
	void editFormWhenGroupHoldsMoreThenNoticeSayingWhyAndSaveDisabled() throws Exception {
		User editor = TestAccounts.user().permissions("view-groups", "edit-groups").create(jdbc);
		Group group = TestGroups.group().permissions("delete-users").create(jdbc);
		Document page = Jsoup.parse(mvc.perform(get("/admin/groups/" + group.id() + "/edit")
			.with(TestAccounts.as(editor))).andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
		assertThat(page.select("#cannot-change").text()).isEqualTo("You cannot change the group \"" + group.name()
				+ "\": it holds the permission \"delete-users\", which you do not hold yourself.");
		assertThat(page.select("button[type=submit][disabled]").eachText()).contains("Save");
	}

	@Test
	void updateWhenGroupHoldsMoreThenErrorSayingWhyAndNothingSaved() throws Exception {
		User editor = TestAccounts.user().permissions("view-groups", "edit-groups").create(jdbc);
		Group group = TestGroups.group().permissions("delete-users").create(jdbc);
		mvc.perform(post("/admin/groups/" + group.id()).param("name", "Emptied")
			.param("description", "")
			.param("version", "1")
			.with(csrf())
			.with(TestAccounts.as(editor)))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("You cannot change the group &quot;" + group.name()
					+ "&quot;: it holds the permission &quot;delete-users&quot;, which you do not hold yourself.")));
		assertThat(TestGroups.find(jdbc, group.name()).version()).isEqualTo(1);
		assertThat(jdbc.sql("select count(*) from group_permission where group_id = :id").param("id", group.id())
			.query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void removeMemberWhenMemberHoldsMoreThenRefusedWithMessageAndKept() throws Exception {
		User editor = TestAccounts.user().permissions("edit-groups").create(jdbc);
		Group group = TestGroups.group().permissions("edit-groups").create(jdbc);
		User member = TestAccounts.user().permissions("delete-users").inGroup(group.id()).create(jdbc);
		mvc.perform(post("/admin/groups/" + group.id() + "/members/" + member.id() + "/delete").with(csrf())
			.with(TestAccounts.as(editor)))
			.andExpect(redirectedUrl("/admin/groups/" + group.id() + "/edit"))
			.andExpect(flash().attribute("flashError", "You cannot remove \"" + member.username() + "\" from a group: "
					+ "they hold the permission \"delete-users\", which you do not hold yourself."));
		assertThat(memberCount(group)).isEqualTo(1);
	}

	@Test
	void deleteWhenGroupHoldsMoreThenRefusedWithMessageAndKept() throws Exception {
		User deleter = TestAccounts.user().permissions("view-groups", "delete-groups").create(jdbc);
		Group group = TestGroups.group().permissions("delete-users").create(jdbc);
		mvc.perform(post("/admin/groups/" + group.id() + "/delete").with(csrf()).with(TestAccounts.as(deleter)))
			.andExpect(redirectedUrl("/admin/groups"))
			.andExpect(flash().attribute("flashError", "You cannot delete the group \"" + group.name() + "\": it "
					+ "holds the permission \"delete-users\", which you do not hold yourself."));
		assertThat(jdbc.sql("select count(*) from user_group where id = :id").param("id", group.id())
			.query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void editWhenUnknownGroupThen404() throws Exception {
		User editor = TestAccounts.user().permissions("edit-groups").create(jdbc);
		mvc.perform(get("/admin/groups/999999/edit").with(TestAccounts.as(editor))).andExpect(status().isNotFound());
	}

}
