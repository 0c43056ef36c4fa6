package io.gatehouse.oauth;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.signin.Permissions;
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
 * PAR + PKCE + DPoP in one authorization code flow, as the Nimbus SDK does it: the request pushed, the browser
 * approving with the request URI alone, the code exchanged with a proof for a DPoP token of the user that works on
 * the REST API with a proof, and the refresh with a proof giving a new bound token.
 */
@GatehouseHttpTest
class DPoPCodeFlowNimbusIntegrationTests {

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
	void codeFlowWhenParPkceAndDPoPThenBoundTokensOnApiAndRefresh() throws Exception {
		AuthorizationServerMetadata server = AuthorizationServerMetadata
			.resolve(new Issuer("http://localhost:" + port));
		IssuedSecret client = clients.create(new AuthClientDraft("Nimbus DPoP web " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of(REDIRECT.toString()), false, false, true, List.of(),
				false, true));
		ClientAuthentication credentials = new ClientSecretBasic(new ClientID(client.client().id()),
				new Secret(client.secret()));
		ECKey key = new ECKeyGenerator(Curve.P_256).generate();
		DPoPProofFactory proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
		CodeVerifier verifier = new CodeVerifier();
		AuthorizationRequest request = new AuthorizationRequest.Builder(ResponseType.CODE,
				new ClientID(client.client().id()))
			.redirectionURI(REDIRECT).scope(new Scope("api")).state(new State())
			.codeChallenge(verifier, CodeChallengeMethod.S256).build();
		PushedAuthorizationResponse pushed = PushedAuthorizationResponse.parse(new PushedAuthorizationRequest(
				server.getPushedAuthorizationRequestEndpointURI(), credentials, request).toHTTPRequest().send());
		assertThat(pushed.indicatesSuccess()).as(String.valueOf(pushed)).isTrue();
		URI browserUri = new AuthorizationRequest.Builder(pushed.toSuccessResponse().getRequestURI(),
				new ClientID(client.client().id())).endpointURI(server.getAuthorizationEndpointURI()).build().toURI();

		User user = TestAccounts.user().username("nimbus-dpop-" + UUID.randomUUID()).create(jdbc);
		jdbc.sql("insert into account_permission (account_id, permission_name) values (:id, :p)")
			.param("id", user.id()).param("p", Permissions.VIEW_AUTH_CLIENTS).update();
		AuthorizationResponse callback = AuthorizationResponse.parse(approveInBrowser(browserUri, client, user));
		assertThat(callback.indicatesSuccess()).as(String.valueOf(callback)).isTrue();

		// the code without a proof: this client requires DPoP
		TokenRequest exchange = new TokenRequest(server.getTokenEndpointURI(), credentials,
				new AuthorizationCodeGrant(callback.toSuccessResponse().getAuthorizationCode(), REDIRECT, verifier));
		TokenResponse refused = TokenResponse.parse(exchange.toHTTPRequest().send());
		assertThat(refused.indicatesSuccess()).isFalse();
		assertThat(refused.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_dpop_proof");
		// refused before the code was looked at: it still works, with a proof
		HTTPRequest withProof = exchange.toHTTPRequest();
		withProof.setDPoP(proofs.createDPoPJWT("POST", server.getTokenEndpointURI()));
		TokenResponse exchanged = TokenResponse.parse(withProof.send());
		assertThat(exchanged.indicatesSuccess()).as(String.valueOf(exchanged)).isTrue();
		Tokens tokens = exchanged.toSuccessResponse().getTokens();
		assertThat(tokens.getAccessToken().getType()).isEqualTo(AccessTokenType.DPOP);
		assertThat(tokens.getRefreshToken()).isNotNull();
		assertBoundTo(tokens.getDPoPAccessToken(), key);

		URI api = URI.create("http://localhost:" + port + "/api/1.0/auth-clients");
		OAuthHttp http = new OAuthHttp(port, json);
		var listed = http.request("GET", "/api/1.0/auth-clients")
			.header("Authorization", "DPoP " + tokens.getAccessToken().getValue())
			.header("DPoP", proofs.createDPoPJWT("GET", api, tokens.getAccessToken()).serialize()).send();
		assertThat(listed.status()).as(listed.toString()).isEqualTo(200);

		// a refresh without a proof is refused for this client; with one it gives a new bound token
		TokenResponse unproven = TokenResponse.parse(new TokenRequest(server.getTokenEndpointURI(), credentials,
				new RefreshTokenGrant(tokens.getRefreshToken())).toHTTPRequest().send());
		assertThat(unproven.indicatesSuccess()).isFalse();
		assertThat(unproven.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_dpop_proof");
		HTTPRequest refresh = new TokenRequest(server.getTokenEndpointURI(), credentials,
				new RefreshTokenGrant(tokens.getRefreshToken())).toHTTPRequest();
		refresh.setDPoP(proofs.createDPoPJWT("POST", server.getTokenEndpointURI()));
		TokenResponse refreshed = TokenResponse.parse(refresh.send());
		assertThat(refreshed.indicatesSuccess()).as(String.valueOf(refreshed)).isTrue();
		assertBoundTo(refreshed.toSuccessResponse().getTokens().getDPoPAccessToken(), key);
	}

	private static void assertBoundTo(DPoPAccessToken token, ECKey key) throws Exception {
		assertThat(token).isNotNull();
		assertThat(SignedJWT.parse(token.getValue()).getJWTClaimsSet().getJSONObjectClaim("cnf"))
			.containsEntry("jkt", key.toPublicJWK().computeThumbprint().toString());
	}

	/** The user's browser: the authorization endpoint, the consent page, Allow; where it is sent back. */
	private URI approveInBrowser(URI authorize, IssuedSecret client, User user) {
		OAuthHttp browser = new OAuthHttp(port, json).signIn(user.username(), TestAccounts.PASSWORD);
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
