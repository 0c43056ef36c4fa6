package io.gatehouse.oauth;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.PushedAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.support.GatehouseHttpTest;
import io.gatehouse.support.TestAccounts;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PAR + PKCE as an independent client library (the Nimbus SDK) does it: it finds the PAR endpoint by discovery,
 * pushes its request with its credentials, sends the browser with the request URI alone, and exchanges the code with
 * its verifier; a client that requires PAR is served the same way.
 */
@GatehouseHttpTest
class PushedAuthorizationNimbusIntegrationTests {

	static final URI REDIRECT = URI.create("https://app.example.com/callback");

	@LocalServerPort
	int port;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	@Test
	void codeFlowWhenNimbusPushesRequestWithPkceThenItGetsTokens() throws Exception {
		AuthorizationServerMetadata server = AuthorizationServerMetadata
			.resolve(new Issuer("http://localhost:" + port));
		assertThat(server.getPushedAuthorizationRequestEndpointURI()).isNotNull();
		IssuedSecret client = clients.create(new AuthClientDraft("Nimbus PAR " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of(REDIRECT.toString()), false, false, true));
		ClientSecretBasic credentials = new ClientSecretBasic(new ClientID(client.client().id()),
				new Secret(client.secret()));
		CodeVerifier verifier = new CodeVerifier();
		State state = new State();
		AuthorizationRequest request = new AuthorizationRequest.Builder(ResponseType.CODE,
				new ClientID(client.client().id()))
			.redirectionURI(REDIRECT)
			.scope(new Scope("api"))
			.state(state)
			.codeChallenge(verifier, CodeChallengeMethod.S256)
			.build();

		PushedAuthorizationResponse pushed = PushedAuthorizationResponse.parse(new PushedAuthorizationRequest(
				server.getPushedAuthorizationRequestEndpointURI(), credentials, request).toHTTPRequest().send());
		assertThat(pushed.indicatesSuccess()).as(String.valueOf(pushed)).isTrue();
		PushedAuthorizationSuccessResponse success = pushed.toSuccessResponse();
		assertThat(success.getLifetime()).isBetween(1L, 300L);

		URI browserUri = new AuthorizationRequest.Builder(success.getRequestURI(), new ClientID(client.client().id()))
			.endpointURI(server.getAuthorizationEndpointURI())
			.build()
			.toURI();
		URI callback = approveInBrowser(browserUri, client);
		AuthorizationResponse response = AuthorizationResponse.parse(callback);
		assertThat(response.indicatesSuccess()).as(callback.toString()).isTrue();
		AuthorizationSuccessResponse authorized = response.toSuccessResponse();
		assertThat(authorized.getState()).isEqualTo(state);
		AuthorizationCode code = authorized.getAuthorizationCode();

		TokenResponse tokens = TokenResponse.parse(new TokenRequest(server.getTokenEndpointURI(), credentials,
				new AuthorizationCodeGrant(code, REDIRECT, verifier)).toHTTPRequest().send());
		assertThat(tokens.indicatesSuccess()).as(String.valueOf(tokens)).isTrue();
		assertThat(tokens.toSuccessResponse().getTokens().getAccessToken().getValue()).isNotBlank();

		// the request URI worked once
		OAuthHttp.Response again = signedIn().request("GET", browserUri.getRawPath()).query(browserUri.getRawQuery())
			.accept("text/html").send();
		assertThat(again.status()).isEqualTo(400);
		assertThat(again.body()).contains("invalid_request_uri");
	}

	private OAuthHttp signedIn() {
		User user = TestAccounts.user().username("nimbus-par-" + UUID.randomUUID()).create(jdbc);
		return new OAuthHttp(port, json).signIn(user.username(), TestAccounts.PASSWORD);
	}

	/** The signed-in user's browser: the authorization endpoint, the consent page, Allow; where it is sent back. */
	private URI approveInBrowser(URI authorize, IssuedSecret client) {
		OAuthHttp browser = signedIn();
		OAuthHttp.Response first = browser.request("GET", authorize.getRawPath()).query(authorize.getRawQuery())
			.accept("text/html").send();
		assertThat(first.status()).as(first.toString()).isEqualTo(302);
		URI consentUri = URI.create(first.location());
		Document consent = Jsoup.parse(browser.request("GET", consentUri.getRawPath())
			.query(consentUri.getRawQuery()).accept("text/html").send().body());
		OAuthHttp.Response allowed = browser.post("/oauth/authorize").form("client_id", client.client().id(),
				"state", consent.select("input[name=state]").val(), "scope", "api", "_csrf",
				consent.select("input[name=_csrf]").val()).send();
		assertThat(allowed.status()).as(allowed.toString()).isEqualTo(302);
		return URI.create(allowed.location());
	}

}
