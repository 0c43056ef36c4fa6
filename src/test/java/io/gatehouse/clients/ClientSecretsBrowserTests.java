package io.gatehouse.clients;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.gatehouse.support.Browser;
import io.gatehouse.support.BrowserExtension;
import io.gatehouse.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** An administrator rotates a client's secret in a real headless Chromium, without downtime for the client. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "gatehouse.admin.username=grace", "gatehouse.admin.password=browser-test-password" })
class ClientSecretsBrowserTests {

	@RegisterExtension
	static final BrowserExtension browser = new BrowserExtension();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
	}

	@Autowired
	AuthClientService clients;

	@Test
	void addSecondSecretKeepingFirstForAnHourThenBothListedThenRevokeTheFirst() {
		IssuedSecret issued = clients.create(new AuthClientDraft("Rotating Billing", Set.of(GrantType.PASSWORD),
				List.of()));
		String clientId = issued.client().id();
		String firstId = clients.secrets(clientId).get(0).id();
		Browser page = browser.get();
		page.login("grace", "browser-test-password");
		page.open("/admin/auth-clients/" + clientId + "/edit");
		assertThat(page.driver().findElements(By.cssSelector(".secret-row"))).hasSize(1);

		// the default choice keeps the current secret for an hour
		assertThat(page.text("#keep option:checked")).isEqualTo("keep working for 1 hour");
		page.click("Add Secret");
		String second = page.text("#client-secret");
		assertThat(clients.secretMatches(clientId, second)).isTrue();
		assertThat(clients.secretMatches(clientId, issued.secret())).isTrue();

		page.open("/admin/auth-clients/" + clientId + "/edit");
		assertThat(page.driver().findElements(By.cssSelector(".secret-row"))).hasSize(2);
		assertThat(page.text("#secret-" + firstId + " .secret-state")).isEqualTo("Expiring");
		assertThat(page.pageText()).doesNotContain(second).doesNotContain(issued.secret());

		WebElement revoke = page.driver().findElement(By.cssSelector("#secret-" + firstId + " .revoke-secret"));
		// instantly: the console's smooth scrolling would otherwise still be moving the button when it is clicked
		((JavascriptExecutor) page.driver())
			.executeScript("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", revoke);
		page.waitClickable(By.cssSelector("#secret-" + firstId + " .revoke-secret")).click();
		Alert alert = new WebDriverWait(page.driver(), Duration.ofSeconds(5))
			.until(ExpectedConditions.alertIsPresent());
		assertThat(alert.getText()).contains("Revoke the secret");
		alert.accept();
		new WebDriverWait(page.driver(), Duration.ofSeconds(5)).until(ExpectedConditions
			.textToBe(By.cssSelector("#secret-" + firstId + " .secret-state"), "Revoked"));
		assertThat(page.text("#secret-" + firstId + " .secret-state")).isEqualTo("Revoked");
		assertThat(clients.secretMatches(clientId, issued.secret())).isFalse();
		assertThat(clients.secretMatches(clientId, second)).isTrue();
	}

}
