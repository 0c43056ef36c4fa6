package io.gatehouse.accounts;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.clients.AuthClient;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
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
import static org.hamcrest.Matchers.matchesRegex;
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
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:user-console;MODE=PostgreSQL;"
		+ "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH")
class UserConsoleIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	@Test
	void pagesWhenNotSignedInThenRedirectToLogin() throws Exception {
		mvc.perform(get("/admin/users")).andExpect(redirectedUrl("/login"));
		mvc.perform(get("/admin/users/new")).andExpect(redirectedUrl("/login"));
		mvc.perform(get("/profile")).andExpect(redirectedUrl("/login"));
	}

	@Test
	void everyRouteWhenNoPermissionThen403() throws Exception {
		User nobody = TestAccounts.user().create(jdbc);
		User target = TestAccounts.user().create(jdbc);
		mvc.perform(get("/admin/users").with(TestAccounts.as(nobody))).andExpect(status().isForbidden());
		mvc.perform(get("/admin/users/new").with(TestAccounts.as(nobody))).andExpect(status().isForbidden());
		mvc.perform(get("/admin/users/" + target.id() + "/edit").with(TestAccounts.as(nobody)))
			.andExpect(status().isForbidden());
		mvc.perform(post("/admin/users").param("username", "nobody-made").param("password", "secret-password")
			.with(csrf()).with(TestAccounts.as(nobody))).andExpect(status().isForbidden());
		mvc.perform(post("/admin/users/" + target.id()).param("username", "renamed").with(csrf())
			.with(TestAccounts.as(nobody))).andExpect(status().isForbidden());
		mvc.perform(post("/admin/users/" + target.id() + "/delete").with(csrf()).with(TestAccounts.as(nobody)))
			.andExpect(status().isForbidden());
		assertThat(TestAccounts.find(jdbc, target.username()).username()).isEqualTo(target.username());
	}

	@Test
	void listWhenViewOnlyThenNoCreateEditOrDeleteControls() throws Exception {
		User viewer = TestAccounts.user().permissions("view-users").create(jdbc);
		User target = TestAccounts.user().username("shown-in-list").create(jdbc);
		mvc.perform(get("/admin/users?filter=shown-in").with(TestAccounts.as(viewer)))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("shown-in-list")))
			.andExpect(content().string(not(containsString("Create User"))))
			.andExpect(content().string(not(containsString("/admin/users/" + target.id() + "/edit"))))
			.andExpect(content().string(not(containsString("/admin/users/" + target.id() + "/delete"))));
	}

	@Test
	void listWhenAllPermissionsThroughGroupThenControlsShown() throws Exception {
		Group managers = TestGroups.group()
			.permissions("view-users", "create-users", "edit-users", "delete-users")
			.create(jdbc);
		User manager = TestAccounts.user().inGroup(managers.id()).create(jdbc);
		User target = TestAccounts.user().username("row-with-controls").create(jdbc);
		mvc.perform(get("/admin/users?filter=row-with").with(TestAccounts.as(manager)))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("Create User"),
					containsString("/admin/users/" + target.id() + "/edit"),
					containsString("/admin/users/" + target.id() + "/delete"),
					containsString("Delete the user row-with-controls?"))));
	}

	@Test
	void listWhenQueryStringIsNonsenseThenDefaultPageNot500() throws Exception {
		User viewer = TestAccounts.user().permissions("view-users").create(jdbc);
		mvc.perform(get("/admin/users?page=abc&order_by=password_hash&order_direction=up")
			.with(TestAccounts.as(viewer)))
			.andExpect(status().isOk());
	}

	@Test
	void createWhenValidThenRedirectWithFlashAndUserSaved() throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		mvc.perform(post("/admin/users").param("username", "console-made")
			.param("password", "secret-password")
			.param("email", "made@example.com")
			.param("firstname", "Con")
			.param("lastname", "Sole")
			.param("active", "true")
			.param("permissions", "view-users", "view-groups")
			.with(csrf())
			.with(TestAccounts.as(admin)))
			.andExpect(redirectedUrl("/admin/users"))
			.andExpect(flash().attribute("flash", "The user was created."));
		User made = TestAccounts.find(jdbc, "console-made");
		assertThat(made.email()).isEqualTo("made@example.com");
		assertThat(made.active()).isTrue();
		assertThat(jdbc.sql("select permission_name from account_permission where account_id = :id order by 1")
			.param("id", made.id()).query(String.class).list()).containsExactly("view-groups", "view-users");
	}

	@Test
	void createWhenInvalidThenErrorsNextToFieldsAndValuesKept() throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		mvc.perform(post("/admin/users").param("username", "")
			.param("password", "short")
			.param("email", "kept-but-bad")
			.param("firstname", "KeptFirst")
			.with(csrf())
			.with(TestAccounts.as(admin)))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("The Username field is required."),
					containsString("The Password must be at least 8 characters."),
					containsString("The Email must be a valid email address."), containsString("value=\"KeptFirst\""),
					containsString("value=\"kept-but-bad\""), containsString("Create User"))));
	}

	@Test
	void createWhenGrantingUnheldPermissionThenRefusedWithReason() throws Exception {
		User creator = TestAccounts.user().permissions("view-users", "create-users").create(jdbc);
		mvc.perform(post("/admin/users").param("username", "escalated")
			.param("password", "secret-password")
			.param("permissions", "delete-auth_clients")
			.with(csrf())
			.with(TestAccounts.as(creator)))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("delete-auth_clients")));
		assertThat(jdbc.sql("select count(*) from account where username_key = 'escalated'").query(Long.class)
			.single()).isZero();
	}

	@Test
	void createWhenNonSuperAdminPostsSuperAdminFlagThenIgnored() throws Exception {
		User creator = TestAccounts.user().permissions("view-users", "create-users").create(jdbc);
		mvc.perform(post("/admin/users").param("username", "sneaky")
			.param("password", "secret-password")
			.param("superAdmin", "true")
			.with(csrf())
			.with(TestAccounts.as(creator))).andExpect(redirectedUrl("/admin/users"));
		assertThat(TestAccounts.find(jdbc, "sneaky").superAdmin()).isFalse();
	}

	@Test
	void editFormWhenOpenedThenPrefilledWithPermissionsAndGroups() throws Exception {
		User editor = TestAccounts.user().permissions("edit-users").create(jdbc);
		Group group = TestGroups.group().name("Prefill Group").create(jdbc);
		User target = TestAccounts.user().username("prefilled").email("pre@example.com").permissions("view-groups")
			.inGroup(group.id()).create(jdbc);
		mvc.perform(get("/admin/users/" + target.id() + "/edit").with(TestAccounts.as(editor)))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("Edit User"), containsString("value=\"prefilled\""),
					containsString("value=\"pre@example.com\""), containsString("Prefill Group"),
					containsString("Leave blank to keep the current password."))))
			.andExpect(content().string(matchesRegex("(?s).*value=\"view-groups\"[^>]*checked.*")))
			.andExpect(content().string(not(matchesRegex("(?s).*value=\"view-users\"[^>]*checked.*"))));
	}

	@Test
	void updateWhenValidThenSavedWithFlashAndPasswordKept() throws Exception {
		User editor = TestAccounts.user().permissions("view-users", "edit-users").create(jdbc);
		User target = TestAccounts.user().create(jdbc);
		String hashBefore = jdbc.sql("select password_hash from account where id = :id").param("id", target.id())
			.query(String.class).single();
		mvc.perform(post("/admin/users/" + target.id()).param("username", target.username())
			.param("firstname", "Edited")
			.param("password", "")
			.param("_active", "on")
			.param("version", "1")
			.with(csrf())
			.with(TestAccounts.as(editor)))
			.andExpect(redirectedUrl("/admin/users"))
			.andExpect(flash().attribute("flash", "The user was saved."));
		User after = TestAccounts.find(jdbc, target.username());
		assertThat(after.firstname()).isEqualTo("Edited");
		assertThat(after.active()).isFalse();
		assertThat(jdbc.sql("select password_hash from account where id = :id").param("id", target.id())
			.query(String.class).single()).isEqualTo(hashBefore);
	}

	@Test
	void updateWhenVersionStaleThenMessageAndCurrentValuesShown() throws Exception {
		User editor = TestAccounts.user().permissions("edit-users").create(jdbc);
		User target = TestAccounts.user().create(jdbc);
		jdbc.sql("update account set firstname = 'SavedByOther', version = 2 where id = :id").param("id", target.id())
			.update();
		mvc.perform(post("/admin/users/" + target.id()).param("username", target.username())
			.param("firstname", "Mine")
			.param("version", "1")
			.with(csrf())
			.with(TestAccounts.as(editor)))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("Someone else changed this user"),
					containsString("value=\"SavedByOther\""))));
		assertThat(TestAccounts.find(jdbc, target.username()).firstname()).isEqualTo("SavedByOther");
	}

	@Test
	void updateWhenLastSuperAdminUnticksFlagThenFieldError() throws Exception {
		jdbc.sql("update account set super_admin = false where super_admin = true").update();
		User only = TestAccounts.user().superAdmin().create(jdbc);
		mvc.perform(post("/admin/users/" + only.id()).param("username", only.username())
			.param("active", "true")
			.param("_superAdmin", "on")
			.with(csrf())
			.with(TestAccounts.as(only)))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("The last active super admin cannot be demoted.")));
		assertThat(TestAccounts.find(jdbc, only.username()).superAdmin()).isTrue();
	}

	@Test
	void deleteWhenAllowedThenRedirectWithFlashAndGone() throws Exception {
		User deleter = TestAccounts.user().permissions("view-users", "delete-users").create(jdbc);
		User target = TestAccounts.user().create(jdbc);
		mvc.perform(post("/admin/users/" + target.id() + "/delete").with(csrf()).with(TestAccounts.as(deleter)))
			.andExpect(redirectedUrl("/admin/users"))
			.andExpect(flash().attribute("flash", "The user was deleted."));
		assertThat(jdbc.sql("select count(*) from account where id = :id").param("id", target.id())
			.query(Long.class).single()).isZero();
	}

	@Test
	void deleteWhenSelfThenRefusedWithMessage() throws Exception {
		User deleter = TestAccounts.user().permissions("view-users", "delete-users").create(jdbc);
		mvc.perform(post("/admin/users/" + deleter.id() + "/delete").with(csrf()).with(TestAccounts.as(deleter)))
			.andExpect(redirectedUrl("/admin/users"))
			.andExpect(flash().attribute("flashError", "You cannot delete your own account."));
	}

	// who may change whom

	@Test
	void editFormWhenTargetHoldsMoreThenNoticeSayingWhy() throws Exception {
		User editor = TestAccounts.user().permissions("view-users", "edit-users").create(jdbc);
		User target = TestAccounts.user().permissions("delete-users").create(jdbc);
		mvc.perform(get("/admin/users/" + target.id() + "/edit").with(TestAccounts.as(editor)))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("You cannot change the user " + quoted(target.username())
					+ ": they hold the permission " + quoted("delete-users") + ", which you do not hold yourself.")));
	}

	@Test
	void updateWhenTargetHoldsMoreThenErrorSayingWhyAndNothingSaved() throws Exception {
		User editor = TestAccounts.user().permissions("view-users", "edit-users").create(jdbc);
		User target = TestAccounts.user().permissions("delete-users").create(jdbc);
		mvc.perform(post("/admin/users/" + target.id()).param("username", target.username())
			.param("firstname", "Taken")
			.param("password", "taken-over-now")
			.param("version", "1")
			.with(csrf())
			.with(TestAccounts.as(editor)))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("You cannot change the user " + quoted(target.username()))));
		assertThat(TestAccounts.find(jdbc, target.id())).isEqualTo(target);
	}

	@Test
	void deleteWhenTargetHoldsMoreThenRefusedWithMessageAndKept() throws Exception {
		User deleter = TestAccounts.user().permissions("view-users", "delete-users").create(jdbc);
		User target = TestAccounts.user().permissions("edit-groups").create(jdbc);
		mvc.perform(post("/admin/users/" + target.id() + "/delete").with(csrf()).with(TestAccounts.as(deleter)))
			.andExpect(redirectedUrl("/admin/users"))
			.andExpect(flash().attribute("flashError", "You cannot delete the user \"" + target.username()
					+ "\": they hold the permission \"edit-groups\", which you do not hold yourself."));
		assertThat(TestAccounts.find(jdbc, target.id())).isEqualTo(target);
	}

	// service accounts

	@Test
	void listWhenServiceAccountThenBadgeNamingItsClientAndNoDeleteButton() throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		AuthClient client = clientWithServiceAccount("Listed robot");
		Document page = Jsoup.parse(mvc.perform(get("/admin/users?filter=svc-" + client.id())
			.with(TestAccounts.as(admin))).andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
		assertThat(page.select(".service-account-badge").text()).isEqualTo("Service account of " + client.name());
		assertThat(page.select("a[href=/admin/users/" + client.serviceAccountId() + "/edit]")).hasSize(1);
		assertThat(page.select("form[action=/admin/users/" + client.serviceAccountId() + "/delete]")).isEmpty();
	}

	@Test
	void editFormWhenServiceAccountThenNoUsernameOrPasswordFieldsAndNamesTheClient() throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		AuthClient client = clientWithServiceAccount("Edited robot");
		Document page = Jsoup.parse(mvc.perform(get("/admin/users/" + client.serviceAccountId() + "/edit")
			.with(TestAccounts.as(admin))).andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
		assertThat(page.select("input[name=username]")).isEmpty();
		assertThat(page.select("input[name=password]")).isEmpty();
		assertThat(page.select("input[name=permissions]")).isNotEmpty();
		assertThat(page.select(".service-account-badge").text()).isEqualTo("Service account of " + client.name());
	}

	@Test
	void updateWhenServiceAccountFormPostedThenPermissionsSavedAndUsernameKept() throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		AuthClient client = clientWithServiceAccount("Saved robot");
		User before = TestAccounts.find(jdbc, client.serviceAccountId());
		mvc.perform(post("/admin/users/" + client.serviceAccountId()).param("firstname", before.firstname())
			.param("lastname", before.lastname())
			.param("active", "true")
			.param("permissions", "view-users")
			.param("version", String.valueOf(before.version()))
			.with(csrf())
			.with(TestAccounts.as(admin)))
			.andExpect(redirectedUrl("/admin/users"));
		assertThat(TestAccounts.find(jdbc, client.serviceAccountId()).username()).isEqualTo("svc-" + client.id());
		assertThat(jdbc.sql("select permission_name from account_permission where account_id = :id")
			.param("id", client.serviceAccountId()).query(String.class).list()).containsExactly("view-users");
	}

	@Test
	void deleteWhenServiceAccountThenRefusedWithMessageNot500() throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		AuthClient client = clientWithServiceAccount("Undeletable robot");
		mvc.perform(post("/admin/users/" + client.serviceAccountId() + "/delete").with(csrf())
			.with(TestAccounts.as(admin)))
			.andExpect(redirectedUrl("/admin/users"))
			.andExpect(flash().attribute("flashError", "\"svc-" + client.id() + "\" is the service account of the "
					+ "client \"" + client.name() + "\". Delete the client instead; that deactivates its service "
					+ "account."));
		assertThat(TestAccounts.find(jdbc, client.serviceAccountId()).active()).isTrue();
	}

	private AuthClient clientWithServiceAccount(String name) {
		return clients.create(new AuthClientDraft(name + " " + UUID.randomUUID(), Set.of(GrantType.CLIENT_CREDENTIALS),
				List.of())).client();
	}

	/** How Thymeleaf writes a double quote in text. */
	private static String quoted(String text) {
		return "&quot;" + text + "&quot;";
	}

	@Test
	void editWhenUnknownOrMalformedIdThen404Page() throws Exception {
		User editor = TestAccounts.user().permissions("edit-users").create(jdbc);
		mvc.perform(get("/admin/users/999999/edit").with(TestAccounts.as(editor))).andExpect(status().isNotFound());
		mvc.perform(get("/admin/users/abc/edit").with(TestAccounts.as(editor))).andExpect(status().isNotFound());
	}

}
