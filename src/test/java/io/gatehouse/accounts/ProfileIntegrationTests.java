package io.gatehouse.accounts;

import io.gatehouse.support.TestAccounts;
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
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest
@AutoConfigureMockMvc
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:profile;MODE=PostgreSQL;"
		+ "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH")
class ProfileIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Test
	void profileWhenNotSignedInThenRedirectToLogin() throws Exception {
		mvc.perform(get("/profile")).andExpect(redirectedUrl("/login"));
		mvc.perform(post("/profile/password").with(csrf())).andExpect(redirectedUrl("/login"));
	}

	@Test
	void profileWhenSignedInWithoutPermissionsThenOwnAccountShown() throws Exception {
		Group group = TestGroups.group().name("Profile Readers").permissions("view-groups").create(jdbc);
		User user = TestAccounts.user().username("profiled").email("me@example.com").inGroup(group.id()).create(jdbc);
		mvc.perform(get("/profile").with(TestAccounts.as(user)))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("profiled"), containsString("me@example.com"),
					containsString("Profile Readers"), containsString("view-groups"),
					containsString("Change password"))));
	}

	@Test
	void homeWhenSignedInThenPageRenders() throws Exception {
		User user = TestAccounts.user().permissions("view-users").create(jdbc);
		mvc.perform(get("/").with(TestAccounts.as(user)))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("/admin/users")));
	}

	@Test
	void changePasswordWhenCurrentWrongThenErrorAndUnchanged() throws Exception {
		User user = TestAccounts.user().create(jdbc);
		mvc.perform(post("/profile/password").param("current_password", "wrong-password")
			.param("password", "new-password-1")
			.param("password_confirmation", "new-password-1")
			.with(csrf())
			.with(TestAccounts.as(user)))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("The Current Password is incorrect.")));
		mvc.perform(formLogin().user(user.username()).password(TestAccounts.PASSWORD)).andExpect(authenticated());
	}

	@Test
	void changePasswordWhenFieldsMissingOrMismatchedThenMessages() throws Exception {
		User user = TestAccounts.user().create(jdbc);
		mvc.perform(post("/profile/password").with(csrf()).with(TestAccounts.as(user)))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("The Current Password field is required."),
					containsString("The Password field is required."))));
		mvc.perform(post("/profile/password").param("current_password", TestAccounts.PASSWORD)
			.param("password", "new-password-1")
			.param("password_confirmation", "new-password-2")
			.with(csrf())
			.with(TestAccounts.as(user)))
			.andExpect(content().string(containsString("The Password confirmation does not match.")));
		mvc.perform(post("/profile/password").param("current_password", TestAccounts.PASSWORD)
			.param("password", "short")
			.param("password_confirmation", "short")
			.with(csrf())
			.with(TestAccounts.as(user)))
			.andExpect(content().string(containsString("The Password must be at least 8 characters.")));
	}

	@Test
	void changePasswordWhenValidThenNewPasswordLogsInAndOldDoesNot() throws Exception {
		User user = TestAccounts.user().create(jdbc);
		String changed = "brand-new-password";
		mvc.perform(post("/profile/password").param("current_password", TestAccounts.PASSWORD)
			.param("password", changed)
			.param("password_confirmation", changed)
			.with(csrf())
			.with(TestAccounts.as(user)))
			.andExpect(redirectedUrl("/profile"))
			.andExpect(flash().attribute("flash", "Your password was changed."));
		mvc.perform(formLogin().user(user.username()).password(changed))
			.andExpect(authenticated().withUsername(user.username()));
		mvc.perform(formLogin().user(user.username()).password(TestAccounts.PASSWORD)).andExpect(unauthenticated());
		String audit = String.join("\n", jdbc.sql("select changes from audit_record where subject_id = :id")
			.param("id", Long.toString(user.id())).query(String.class).list());
		assertThat(audit).contains("password").doesNotContain(changed, TestAccounts.PASSWORD, "{bcrypt}");
	}

	@Test
	void loginWhenAccountDeactivatedThenRefused() throws Exception {
		User user = TestAccounts.user().inactive().create(jdbc);
		mvc.perform(formLogin().user(user.username()).password(TestAccounts.PASSWORD)).andExpect(unauthenticated());
	}

	@Test
	void loginWhenUserCreatedThroughApiThenPasswordWorks() throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		mvc.perform(post("/api/1.0/users").with(csrf()).with(TestAccounts.as(admin))
			.contentType("application/json")
			.content("{\"username\":\"api-login\",\"password\":\"api-login-password\"}"))
			.andExpect(status().isCreated());
		mvc.perform(formLogin().user("API-LOGIN").password("api-login-password")).andExpect(authenticated());
	}

}
