package io.gatehouse.web;

import io.gatehouse.support.Browser;
import io.gatehouse.support.BrowserExtension;
import io.gatehouse.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The login page in a real browser, against the running server with the first super admin "ada". */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "gatehouse.admin.username=ada", "gatehouse.admin.password=correct horse battery" })
class LoginBrowserTests {

	@RegisterExtension
	static final BrowserExtension browser = new BrowserExtension();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
	}

	@Test
	void loginWhenPasswordWrongThenStaysOnLoginPageWithError() {
		Browser page = browser.get();

		page.open("/login");
		page.fill("Username", "ada");
		page.fill("Password", "wrong password");
		page.click("Log in");

		assertThat(page.text(".alert")).isEqualTo("Invalid username or password.");
		assertThat(page.currentPath()).isEqualTo("/login?error");
		assertThat(page.field("Username").isDisplayed()).isTrue();
	}

	@Test
	void loginWhenPasswordRightThenHomePageGreetsUserByName() {
		Browser page = browser.get();

		page.login("ADA", "correct horse battery");

		assertThat(page.currentPath()).isEqualTo("/");
		assertThat(page.text("h1")).isEqualTo("Welcome, Admin");
		assertThat(page.pageText()).contains("Auth Clients", "Users", "Groups", "Log out");
	}

	@Test
	void logoutWhenLoggedInThenLoginPageAndHomeNeedsLoginAgain() {
		Browser page = browser.get();
		page.login("ada", "correct horse battery");

		page.logout();

		assertThat(page.currentPath()).isEqualTo("/login?logout");
		page.open("/");
		assertThat(page.currentPath()).isEqualTo("/login");
		assertThat(page.title()).isEqualTo("Log in · Gatehouse");
	}

}
