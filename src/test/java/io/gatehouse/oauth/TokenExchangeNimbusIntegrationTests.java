package io.gatehouse.oauth;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.ClientPolicy;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.signin.Permissions;
import io.gatehouse.support.GatehouseHttpTest;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 8693 as an independent client library (the Nimbus SDK) does it: discovery names the grant, a user's token is
 * exchanged for a narrower one for another client, and the REST API takes the result.
 */
@GatehouseHttpTest
class TokenExchangeNimbusIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	@Test
	void exchangeWithNimbusThenAccessTokenForTheAudienceThatTheApiTakes() throws Exception {
		OAuthHttp http = new OAuthHttp(port, json);
		AuthorizationServerMetadata metadata = AuthorizationServerMetadata.resolve(new Issuer(http.base()));
		assertThat(metadata.getGrantTypes()).extracting(Object::toString)
			.contains("urn:ietf:params:oauth:grant-type:token-exchange");
		IssuedSecret backend = clients.create(new AuthClientDraft("Nimbus backend " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD), List.of()));
		IssuedSecret gateway = clients.create(new AuthClientDraft("Nimbus gateway " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD, GrantType.TOKEN_EXCHANGE), List.of(), false, false, false, List.of(), false,
				new ClientPolicy(null, null, null, false, null, List.of(backend.client().id()))));
		User user = TestAccounts.user().username("nimbus-" + UUID.randomUUID()).password(TestAccounts.PASSWORD)
			.permissions(Permissions.VIEW_AUTH_CLIENTS).create(jdbc);
		ClientSecretBasic credentials = new ClientSecretBasic(new ClientID(gateway.client().id()),
				new Secret(gateway.secret()));
		URI tokenEndpoint = metadata.getTokenEndpointURI();

		AccessToken subject = success(new TokenRequest(tokenEndpoint, credentials,
				new ResourceOwnerPasswordCredentialsGrant(user.username(), new Secret(TestAccounts.PASSWORD)),
				new Scope("api")).toHTTPRequest().send());
		AccessToken exchanged = success(new TokenRequest(tokenEndpoint, credentials,
				new TokenExchangeGrant(subject, TokenTypeURI.ACCESS_TOKEN, null, null, TokenTypeURI.ACCESS_TOKEN,
						List.of(new Audience(backend.client().id()))),
				new Scope("api")).toHTTPRequest().send());

		assertThat(exchanged.getIssuedTokenType()).isEqualTo(TokenTypeURI.ACCESS_TOKEN);
		assertThat(SignedJWT.parse(exchanged.getValue()).getJWTClaimsSet().getAudience())
			.contains(backend.client().id());
		var api = http.request("GET", "/api/1.0/auth-clients").header("Authorization", "Bearer " + exchanged.getValue())
			.send();
		assertThat(api.status()).as(api.toString()).isEqualTo(200);

		TokenResponse wider = TokenResponse.parse(new TokenRequest(tokenEndpoint, credentials,
				new TokenExchangeGrant(subject, TokenTypeURI.ACCESS_TOKEN), new Scope("api", "openid"))
			.toHTTPRequest().send());
		assertThat(wider.indicatesSuccess()).isFalse();
		assertThat(((TokenErrorResponse) wider).getErrorObject().getCode()).isEqualTo("invalid_scope");
	}

	private static AccessToken success(com.nimbusds.oauth2.sdk.http.HTTPResponse response) throws Exception {
		TokenResponse parsed = TokenResponse.parse(response);
		assertThat(parsed.indicatesSuccess()).as(response.getBody()).isTrue();
		return ((AccessTokenResponse) parsed).getTokens().getAccessToken();
	}

}
