package io.gatehouse.oauth;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.support.GatehouseHttpTest;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Errors of the authorization endpoint (RFC 6749 4.1.2.1) as a browser meets them: sent back to the client's
 * registered redirect URI with the {@code error} code when the client and that URI are known to be right, otherwise
 * shown an error page and never redirected. No code is issued either way.
 */
@GatehouseHttpTest
class AuthorizationEndpointHttpIntegrationTests {

	static final String REDIRECT = "https://app.example.com/callback";

	@LocalServerPort
	int port;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	IssuedSecret client;

	OAuthHttp browser;

	@BeforeEach
	void setUp() {
		client = clients.create(new AuthClientDraft("Web " + UUID.randomUUID(), Set.of(GrantType.AUTHORIZATION_CODE),
				List.of(REDIRECT)));
		User user = TestAccounts.user().username("browser-" + UUID.randomUUID()).create(jdbc);
		browser = new OAuthHttp(port, json).signIn(user.username(), TestAccounts.PASSWORD);
	}

	@ParameterizedTest
	@ValueSource(strings = { "token", "id_token", "code token", "none" })
	void authorizeWhenResponseTypeUnsupportedThenUnsupportedResponseTypeAtRedirectUriAndNoCode(String responseType) {
		var response = authorize("response_type=" + OAuthHttp.encode(responseType) + "&scope=api&state=st&client_id="
				+ client.client().id() + "&redirect_uri=" + OAuthHttp.encode(REDIRECT));
		assertThat(response.status()).as(response.toString()).isEqualTo(302);
		assertThat(response.location()).startsWith(REDIRECT + "?");
		var query = OAuthHttp.queryParameters(URI.create(response.location()).getRawQuery());
		assertThat(query).containsEntry("error", "unsupported_response_type").containsEntry("state", "st")
			.doesNotContainKey("code").doesNotContainKey("access_token");
		assertThat(codesIssued(client)).isZero();
	}

	@Test
	void authorizeWhenResponseTypeUnsupportedAndRedirectUriUnregisteredThenErrorPageNoRedirect() {
		var response = authorize("response_type=token&scope=api&state=st&client_id=" + client.client().id()
				+ "&redirect_uri=" + OAuthHttp.encode("https://evil.example/callback"));
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.location()).isNull();
		assertThat(codesIssued(client)).isZero();
	}

	@Test
	void authorizeWhenResponseTypeUnsupportedAndClientUnknownThenErrorPageNoRedirect() {
		var response = authorize("response_type=token&scope=api&state=st&client_id=" + UUID.randomUUID()
				+ "&redirect_uri=" + OAuthHttp.encode(REDIRECT));
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.location()).isNull();
	}

	@Test
	void authorizeWhenScopeUnknownThenInvalidScopeAtRedirectUri() {
		var response = authorize("response_type=code&scope=admin&state=st&client_id=" + client.client().id()
				+ "&redirect_uri=" + OAuthHttp.encode(REDIRECT) + "&code_challenge=" + "x".repeat(43)
				+ "&code_challenge_method=S256");
		assertThat(response.status()).as(response.toString()).isEqualTo(302);
		var query = OAuthHttp.queryParameters(URI.create(response.location()).getRawQuery());
		assertThat(query).containsEntry("error", "invalid_scope").doesNotContainKey("code");
		assertThat(codesIssued(client)).isZero();
	}

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void authorizeWhenClientHasNoCodeGrantThenErrorPageNoRedirect(boolean withRedirectUri) {
		IssuedSecret passwordOnly = clients.create(new AuthClientDraft("Desktop " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD), List.of()));
		var response = authorize("response_type=code&scope=api&state=st&client_id=" + passwordOnly.client().id()
				+ (withRedirectUri ? "&redirect_uri=" + OAuthHttp.encode(REDIRECT) : ""));
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.location()).isNull();
		assertThat(response.body()).contains("Invalid request");
		assertThat(codesIssued(passwordOnly)).isZero();
	}

	@Test
	void consentPageWhenClientHasNoCodeGrantThen404() {
		IssuedSecret passwordOnly = clients.create(new AuthClientDraft("Desktop " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD, GrantType.PERSONAL_ACCESS), List.of()));
		var response = browser.request("GET", "/oauth/consent")
			.query("client_id=" + passwordOnly.client().id() + "&scope=api&state=st").accept("text/html").send();
		assertThat(response.status()).as(response.toString()).isEqualTo(404);
		assertThat(response.body()).doesNotContain(passwordOnly.client().name());
	}

	private OAuthHttp.Response authorize(String query) {
		return browser.request("GET", "/oauth/authorize").query(query).accept("text/html").send();
	}

	private long codesIssued(IssuedSecret issuedTo) {
		return jdbc.sql("""
				select count(*) from oauth_token t join oauth_authorization a on a.id = t.authorization_id
				where a.client_id = :client and t.token_type = 'code'
				""").param("client", issuedTo.client().id()).query(Long.class).single();
	}

}
