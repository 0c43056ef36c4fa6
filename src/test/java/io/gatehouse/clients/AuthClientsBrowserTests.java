package io.gatehouse.clients;

import io.gatehouse.support.Browser;
import io.gatehouse.support.BrowserExtension;
import io.gatehouse.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An administrator manages an auth client in a real headless Chromium: create (with the Redirect URL field following
 * its checkbox and every validation error shown), edit, regenerate the secret, delete.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "gatehouse.admin.username=grace", "gatehouse.admin.password=browser-test-password" })
class AuthClientsBrowserTests {

	@RegisterExtension
	static final BrowserExtension browser = new BrowserExtension();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
	}

	@Autowired
	AuthClientService clients;

	@Test
	void administratorEnablesTokenExchangeWithAnAudienceThatMustBeAClient() {
		String backend = clients.create(new AuthClientDraft("Exchange backend " + java.util.UUID.randomUUID(),
				java.util.Set.of(GrantType.PASSWORD), java.util.List.of())).client().id();
		Browser page = browser.get();
		page.login("grace", "browser-test-password");
		page.open("/admin/auth-clients/new");

		// the audiences field follows the grant's checkbox
		assertThat(page.isFieldVisible("Exchange audiences")).isFalse();
		page.check("Enable Token Exchange", true);
		page.waitFieldVisible("Exchange audiences");
		page.fill("Name", "Exchange gateway " + java.util.UUID.randomUUID());
		page.fill("Exchange audiences", "no-such-client");
		page.click("Save");
		assertThat(page.text("#exchange-audiences-errors")).contains("not a client of this server");

		page.fill("Exchange audiences", backend);
		page.click("Save");
		assertThat(page.text("[role=status]")).isEqualTo("The auth client was created.");
		String clientId = page.text("#client-id");
		assertThat(clients.get(clientId).allows(GrantType.TOKEN_EXCHANGE)).isTrue();
		assertThat(clients.get(clientId).policy().exchangeAudiences()).containsExactly(backend);
	}

	@Test
	void administratorCreatesEditsRegeneratesAndDeletesAnAuthClient() {
		Browser page = browser.get();
		page.login("grace", "browser-test-password");
		page.open("/admin/auth-clients");
		page.click("Create Auth Client");
		assertThat(page.text("h1")).isEqualTo("Create Auth Client");

		// The Redirect URL field follows its checkbox, without a page load.
		assertThat(page.isFieldVisible("Redirect URL")).isFalse();
		page.check("Enable Authorization Code Grant", true);
		page.waitFieldVisible("Redirect URL");
		page.check("Enable Authorization Code Grant", false);
		page.waitFieldHidden("Redirect URL");

		// Every rule shows its message next to its field.
		page.click("Save");
		assertThat(page.text("#name-errors")).isEqualTo("The Name field is required.");
		assertThat(page.text("#types-errors")).isEqualTo("The Auth-Client must have at least 1 item chosen.");

		page.fill("Name", "Payroll Sync");
		page.check("Enable Authorization Code Grant", true);
		page.waitFieldVisible("Redirect URL");
		page.click("Save");
		assertThat(page.text("#redirect-errors")).isEqualTo("The Redirect field is required.");
		assertThat(page.field("Name").getAttribute("value")).isEqualTo("Payroll Sync");

		page.fill("Redirect URL", "http://payroll.example.com/callback");
		page.click("Save");
		assertThat(page.text("#redirect-errors")).contains("must use https");

		page.fill("Redirect URL", "https://payroll.example.com/callback");
		page.check("Enable Password Grant", true);
		assertThat(page.text("#password-warning")).contains("Not best practice");
		page.click("Save");

		// The secret is shown once, with a warning and a copy button.
		assertThat(page.text("[role=status]")).isEqualTo("The auth client was created.");
		String clientId = page.text("#client-id");
		String secret = page.text("#client-secret");
		assertThat(page.text("#secret-warning")).contains("will not be shown again");
		assertThat(page.driver().findElements(By.xpath("//button[normalize-space()='Copy Secret']"))).hasSize(1);
		assertThat(clients.secretMatches(clientId, secret)).isTrue();

		// It is listed; the edit form opens pre-filled, and a save persists.
		page.click("Back to Auth Clients");
		assertThat(page.pageText()).contains("Payroll Sync", clientId, "https://payroll.example.com/callback")
			.doesNotContain(secret);
		page.click("Edit Auth Client");
		assertThat(page.text("h1")).isEqualTo("Edit Auth Client");
		assertThat(page.field("Name").getAttribute("value")).isEqualTo("Payroll Sync");
		assertThat(page.field("Enable Password Grant").isSelected()).isTrue();
		assertThat(page.isFieldVisible("Redirect URL")).isTrue();

		page.fill("Name", "");
		page.click("Save");
		assertThat(page.text("#name-errors")).isEqualTo("The Name field is required.");

		page.fill("Name", "Payroll Sync v2");
		page.check("Enable Password Grant", false);
		page.check("Enable Personal Access Tokens", true);
		page.click("Save");
		assertThat(page.text("[role=status]")).isEqualTo("The auth client was saved.");
		assertThat(page.pageText()).contains("Payroll Sync v2", "Personal Access Tokens");
		AuthClient saved = clients.get(clientId);
		assertThat(saved.name()).isEqualTo("Payroll Sync v2");
		assertThat(saved.grants()).containsExactlyInAnyOrder(GrantType.AUTHORIZATION_CODE, GrantType.PERSONAL_ACCESS);

		// The history on the edit page names who changed what.
		page.click("Edit Auth Client");
		assertThat(page.text("#history")).contains("grace", "updated", "Payroll Sync", "Payroll Sync v2", "created");

		// Regenerate the secret, after a confirmation: a new one is shown once, the old one stops working.
		String question = page.clickAndConfirm("Regenerate Secret");
		assertThat(question).contains("Payroll Sync v2");
		String newSecret = page.text("#client-secret");
		assertThat(newSecret).isNotEqualTo(secret);
		assertThat(clients.secretMatches(clientId, newSecret)).isTrue();
		assertThat(clients.secretMatches(clientId, secret)).isFalse();

		// Delete, after a confirmation naming the client: gone from the list.
		page.click("Back to Auth Clients");
		assertThat(page.clickAndCancel("Delete Auth Client")).contains("Payroll Sync v2");
		assertThat(page.pageText()).contains("Payroll Sync v2");
		page.clickAndConfirm("Delete Auth Client");
		assertThat(page.text("[role=status]")).isEqualTo("The auth client was deleted.");
		assertThat(page.pageText()).doesNotContain("Payroll Sync v2");
	}

}
