package io.gatehouse.personaltokens;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.gatehouse.support.Browser;
import io.gatehouse.support.BrowserExtension;
import io.gatehouse.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user creates a personal access token on the profile's "API Tokens" page in a real headless Chromium, sees it
 * once, uses it from another HTTP client against the running server, revokes it in the page, and is refused at once.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "gatehouse.admin.username=hopper", "gatehouse.admin.password=browser-test-password" })
class ApiTokensBrowserTests {

	@RegisterExtension
	static final BrowserExtension browser = new BrowserExtension();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
	}

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void userCreatesUsesAndRevokesAnApiToken() throws Exception {
		Browser page = browser.get();
		page.login("hopper", "browser-test-password");
		page.open("/profile");
		page.click("API Tokens");
		assertThat(page.text("h1")).isEqualTo("API Tokens");
		assertThat(page.pageText()).contains("You have no tokens yet.");

		// Nothing typed: the error shows beside the field.
		page.fill("Name", " ");
		page.click("Create Token");
		assertThat(page.text("#name-errors")).isEqualTo("The Name field is required.");

		page.fill("Name", "Nightly export");
		assertThat(new Select(page.field("Client")).getFirstSelectedOption().getText())
			.isEqualTo("Personal Access Client");
		assertThat(page.field("api: the REST API, with your permissions").isSelected()).isTrue();
		new Select(page.field("Expires")).selectByVisibleText("In 30 days");
		page.click("Create Token");

		// Shown once, with a warning and a copy button.
		String token = page.text("#token-value");
		assertThat(token).startsWith("gtpat_");
		assertThat(page.text("#token-warning")).contains("will not be shown again");
		assertThat(page.driver().findElements(By.xpath("//button[normalize-space()='Copy Token']"))).hasSize(1);

		HttpResponse<String> allowed = get("/api/1.0/auth-clients", token);
		assertThat(allowed.statusCode()).isEqualTo(200);
		assertThat(allowed.body()).contains("\"data\"");

		page.click("Back to API Tokens");
		assertThat(page.driver().getPageSource()).doesNotContain(token);
		assertThat(page.text(".token-name")).isEqualTo("Nightly export");
		assertThat(page.text(".token-status")).isEqualTo("Active");
		assertThat(page.text(".token-last-used")).isNotEqualTo("Never");

		String question = page.clickAndConfirm("Revoke");
		assertThat(question).contains("Nightly export");
		page.waitForText("was revoked");
		assertThat(page.text(".token-status")).isEqualTo("Revoked");

		HttpResponse<String> refused = get("/api/1.0/auth-clients", token);
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
				value -> assertThat(value).startsWith("Bearer").contains("error=\"invalid_token\""));
	}

	private HttpResponse<String> get(String path, String token) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Authorization", "Bearer " + token)
			.header("Accept", "application/json")
			.GET()
			.build();
		return http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
