package io.gatehouse.dashboard;

import java.net.URI;
import java.util.List;
import java.util.Set;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.support.Browser;
import io.gatehouse.support.BrowserExtension;
import io.gatehouse.support.TestDatabases;
import io.gatehouse.usage.TokenUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An administrator's home page in a real headless Chromium, after a client got tokens through the token endpoint
 * (by the Nimbus SDK) and the counts were flushed: the tiles, the 24-hour chart with a bar of that many tokens, the
 * client at the top of the busiest clients, and on its edit page its own chart and last use.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "gatehouse.admin.username=ada", "gatehouse.admin.password=dashboard-test-password" })
class DashboardBrowserTests {

	@RegisterExtension
	static final BrowserExtension browser = new BrowserExtension();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
	}

	@LocalServerPort
	int port;

	@Autowired
	AuthClientService clients;

	@Autowired
	TokenUsage usage;

	@Autowired
	JdbcClient jdbc;

	@Test
	void administratorSeesIssuedTokensOnTheDashboardAndOnTheClientsPage() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("Inventory Sync",
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
		URI tokenEndpoint = AuthorizationServerMetadata.resolve(new Issuer("http://localhost:" + port))
			.getTokenEndpointURI();
		for (int i = 0; i < 3; i++) {
			TokenResponse response = TokenResponse.parse(new TokenRequest(tokenEndpoint,
					new ClientSecretBasic(new ClientID(client.client().id()), new Secret(client.secret())),
					new ClientCredentialsGrant()).toHTTPRequest().send());
			assertThat(response.indicatesSuccess()).isTrue();
		}
		usage.flush();

		Browser page = browser.get();
		page.login("ada", "dashboard-test-password");
		page.open("/");
		// ours and the personal access client every installation starts with
		long live = jdbc.sql("select count(*) from auth_client where revoked = false").query(Long.class).single();
		assertThat(live).isEqualTo(2);
		assertThat(page.text("#tile-clients .tile-value")).isEqualTo("2");
		long people = jdbc.sql("select count(*) from account where service_account = false").query(Long.class)
			.single();
		assertThat(page.text("#tile-users .tile-value")).isEqualTo(Long.toString(people));
		assertThat(page.text("#tile-signing-key")).contains("next rotation in");
		assertThat(page.text("#issued-24h")).isEqualTo("3");
		assertThat(page.text("#issued-30d")).isEqualTo("3");

		WebElement chart = page.driver().findElement(By.cssSelector("#usage-24h"));
		assertThat(chart.isDisplayed()).isTrue();
		assertThat(chart.getAttribute("aria-label")).isEqualTo("Tokens issued, last 24 hours: 3 tokens");
		List<WebElement> bars = chart.findElements(By.cssSelector(".usage-bar"));
		assertThat(bars).hasSize(24);
		// the current hour is the last bar: three client-credentials tokens, drawn with a height
		WebElement now = bars.get(23);
		assertThat(now.getAttribute("data-count")).isEqualTo("3");
		WebElement segment = now.findElement(By.cssSelector("rect.usage-client_credentials"));
		assertThat(segment.getRect().getHeight()).isPositive();
		assertThat(bars.subList(0, 23)).allSatisfy(bar -> assertThat(bar.getAttribute("data-count")).isEqualTo("0"));
		assertThat(chart.getText()).contains("Client credentials 3");

		assertThat(page.text(".top-client")).contains("Inventory Sync", "3");
		page.click("Inventory Sync");
		assertThat(page.text("h1")).isEqualTo("Edit Auth Client");
		assertThat(page.text("#usage-total")).isEqualTo("3");
		assertThat(page.text("#last-used")).isNotEqualTo("never").endsWith("UTC");
		WebElement own = page.driver().findElement(By.cssSelector("#client-usage"));
		List<WebElement> days = own.findElements(By.cssSelector(".usage-bar"));
		assertThat(days).hasSize(30);
		assertThat(days.get(29).getAttribute("data-count")).isEqualTo("3");
	}

}
