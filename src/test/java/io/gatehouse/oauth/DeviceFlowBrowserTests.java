package io.gatehouse.oauth;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.support.Browser;
import io.gatehouse.support.BrowserExtension;
import io.gatehouse.support.TestDatabases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device authorization grant (RFC 8628) end to end: the Nimbus OAuth 2.0 SDK plays the device (discovery, the
 * device authorization request, polling the token endpoint) and a real headless Chromium plays the user, who opens
 * the verification URI, signs in, types the code, and allows or denies on the real pages.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "gatehouse.admin.username=grace", "gatehouse.admin.password=browser-test-password" })
class DeviceFlowBrowserTests {

	static final String USERNAME = "grace";

	static final String PASSWORD = "browser-test-password";

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

	AuthorizationServerMetadata provider;

	IssuedSecret client;

	@BeforeEach
	void setUp() throws Exception {
		provider = AuthorizationServerMetadata.resolve(new Issuer("http://localhost:" + port));
		client = clients.create(new AuthClientDraft("Living room TV " + UUID.randomUUID(),
				Set.of(GrantType.DEVICE_CODE), List.of()));
	}

	@Test
	void deviceFlowWhenUserTypesCodeAndAllowsThenDeviceGetsTokenThatWorksOnTheApi() throws Exception {
		DeviceAuthorizationSuccessResponse device = deviceAuthorization();
		assertThat(device.getInterval()).isEqualTo(5);

		// Polling before the user answers: the device is told to wait
		TokenResponse pending = poll(device);
		assertThat(pending.indicatesSuccess()).isFalse();
		assertThat(((TokenErrorResponse) pending).getErrorObject().getCode()).isEqualTo("authorization_pending");

		// The user opens the verification URI the device shows, signs in, and types the code
		Browser page = browser.get();
		page.driver().get(device.getVerificationURI().toString());
		assertThat(page.currentPath()).isEqualTo("/login");
		page.fill("Username", USERNAME);
		page.fill("Password", PASSWORD);
		page.click("Log in");
		waitForPath(page, "/device");
		page.fill("Code", device.getUserCode().getValue().toLowerCase(java.util.Locale.ROOT));
		page.click("Continue");

		// The page names the client, the code, and the scopes in words
		waitForPath(page, "/device/consent?");
		assertThat(page.text("#client-name")).isEqualTo(client.client().name());
		assertThat(page.text("#user-code")).isEqualTo(device.getUserCode().getValue());
		assertThat(page.pageText()).contains("Use the REST API as you, with the permissions you hold");
		page.click("Allow");
		waitForPath(page, "/device?approved");
		assertThat(page.pageText()).contains("Device allowed");

		// The next poll (past the interval) gets the tokens, which the REST API accepts
		Thread.sleep(Duration.ofSeconds(device.getInterval()).toMillis());
		TokenResponse tokens = poll(device);
		assertThat(tokens.indicatesSuccess()).as(describe(tokens)).isTrue();
		AccessToken accessToken = tokens.toSuccessResponse().getTokens().getAccessToken();
		assertThat(accessToken.getScope()).isEqualTo(Scope.parse("api"));
		HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + port + "/api/1.0/auth-clients"))
			.header("Authorization", "Bearer " + accessToken.getValue())
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
	}

	@Test
	void deviceFlowWhenUserDeniesThenDeviceIsToldAccessDenied() throws Exception {
		DeviceAuthorizationSuccessResponse device = deviceAuthorization();
		Browser page = browser.get();
		page.driver().get(device.getVerificationURIComplete().toString());
		if (page.currentPath().equals("/login")) {
			page.fill("Username", USERNAME);
			page.fill("Password", PASSWORD);
			page.click("Log in");
		}
		// verification_uri_complete carries the code: the user goes straight to the question
		waitForPath(page, "/device/consent?");
		page.click("Deny");
		waitForPath(page, "/device?denied");
		assertThat(page.pageText()).contains("Access denied");

		TokenResponse denied = poll(device);
		assertThat(denied.indicatesSuccess()).isFalse();
		assertThat(((TokenErrorResponse) denied).getErrorObject().getCode()).isEqualTo("access_denied");
	}

	private DeviceAuthorizationSuccessResponse deviceAuthorization() throws Exception {
		assertThat(provider.getDeviceAuthorizationEndpointURI()).isNotNull();
		DeviceAuthorizationResponse response = DeviceAuthorizationResponse.parse(new DeviceAuthorizationRequest(
				provider.getDeviceAuthorizationEndpointURI(), clientSecret(), Scope.parse("api"), java.util.Map.of())
			.toHTTPRequest()
			.send());
		assertThat(response.indicatesSuccess()).isTrue();
		return response.toSuccessResponse();
	}

	private TokenResponse poll(DeviceAuthorizationSuccessResponse device) throws Exception {
		AuthorizationGrant grant = new DeviceCodeGrant(device.getDeviceCode());
		return TokenResponse.parse(new TokenRequest(provider.getTokenEndpointURI(), clientSecret(), grant)
			.toHTTPRequest()
			.send());
	}

	private ClientAuthentication clientSecret() {
		return new ClientSecretBasic(new ClientID(client.client().id()), new Secret(client.secret()));
	}

	private static void waitForPath(Browser page, String prefix) {
		new WebDriverWait(page.driver(), Duration.ofSeconds(10)).withMessage(() -> "waiting for " + prefix
				+ ", at " + page.driver().getCurrentUrl() + ": " + page.pageText())
			.until(driver -> page.currentPath().startsWith(prefix));
	}

	private static String describe(TokenResponse response) {
		return response instanceof TokenErrorResponse error ? "token error " + error.getErrorObject().toJSONObject()
				: "token response";
	}

}
