package io.gatehouse.oauth;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.device.DeviceCode;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.ClientPolicy;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.support.GatehouseHttpTest;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The error responses as an independent OAuth 2.0 client library (the Nimbus SDK) sees them: it finds the endpoints
 * by discovery, sends its own requests and parses the answers with its own RFC 6749 / 7009 / 7662 parsers.
 */
@GatehouseHttpTest
class OAuthErrorsNimbusIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	AuthorizationServerMetadata server;

	IssuedSecret client;

	User user;

	@BeforeEach
	void setUp() throws Exception {
		server = AuthorizationServerMetadata.resolve(new Issuer("http://localhost:" + port));
		client = clients.create(new AuthClientDraft("Nimbus " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD, GrantType.CLIENT_CREDENTIALS), List.of()));
		user = TestAccounts.user().username("nimbus-" + UUID.randomUUID()).create(jdbc);
	}

	@Test
	void tokenWhenSecretWrongThenNimbusParsesInvalidClientWith401AndChallenge() throws Exception {
		HTTPResponse http = new TokenRequest(server.getTokenEndpointURI(),
				new ClientSecretBasic(new ClientID(client.client().id()), new Secret("gtcs_wrong")),
				new ClientCredentialsGrant()).toHTTPRequest().send();
		ErrorObject error = TokenErrorResponse.parse(http).getErrorObject();
		assertThat(error.getCode()).isEqualTo(OAuth2Error.INVALID_CLIENT.getCode());
		assertThat(error.getHTTPStatusCode()).isEqualTo(401);
		assertThat(http.getHeaderValue("WWW-Authenticate")).startsWith("Basic realm=");
	}

	@Test
	void tokenWhenClientHasOwnLifetimeAndScopesThenNimbusSeesThemAndInvalidScopeBeyond() throws Exception {
		IssuedSecret tuned = clients.create(new AuthClientDraft("Nimbus tuned " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of(), false, false, false, List.of(), false,
				new ClientPolicy(java.time.Duration.ofSeconds(75), null, Set.of("api"), false)));
		TokenResponse issued = TokenResponse.parse(new TokenRequest(server.getTokenEndpointURI(), secret(tuned),
				new ClientCredentialsGrant(), new Scope("api")).toHTTPRequest().send());
		assertThat(issued.indicatesSuccess()).isTrue();
		AccessToken token = issued.toSuccessResponse().getTokens().getAccessToken();
		assertThat(token.getLifetime()).isBetween(73L, 75L);
		assertThat(token.getScope()).isEqualTo(new Scope("api"));

		TokenResponse refused = TokenResponse.parse(new TokenRequest(server.getTokenEndpointURI(), secret(tuned),
				new ClientCredentialsGrant(), new Scope("profile")).toHTTPRequest().send());
		assertThat(refused.indicatesSuccess()).isFalse();
		assertThat(refused.toErrorResponse().getErrorObject().getCode()).isEqualTo(OAuth2Error.INVALID_SCOPE.getCode());
	}

	@Test
	void tokenWhenDeviceCodeGrantNotEnabledThenNimbusParsesUnauthorizedClient() throws Exception {
		TokenResponse response = TokenResponse.parse(new TokenRequest(server.getTokenEndpointURI(), secret(client),
				new DeviceCodeGrant(new DeviceCode("dc-" + UUID.randomUUID()))).toHTTPRequest().send());
		assertThat(response.indicatesSuccess()).isFalse();
		ErrorObject error = response.toErrorResponse().getErrorObject();
		assertThat(error.getCode()).isEqualTo(OAuth2Error.UNAUTHORIZED_CLIENT.getCode());
		assertThat(error.getHTTPStatusCode()).isEqualTo(400);
	}

	@Test
	void tokenWhenPasswordGrantDisabledThenNimbusParsesUnauthorizedClient() throws Exception {
		IssuedSecret patOnly = clients.create(new AuthClientDraft("Scripts " + UUID.randomUUID(),
				Set.of(GrantType.PERSONAL_ACCESS), List.of()));
		TokenResponse response = TokenResponse.parse(new TokenRequest(server.getTokenEndpointURI(), secret(patOnly),
				new ResourceOwnerPasswordCredentialsGrant(user.username(), new Secret(TestAccounts.PASSWORD)))
			.toHTTPRequest().send());
		assertThat(response.indicatesSuccess()).isFalse();
		ErrorObject error = response.toErrorResponse().getErrorObject();
		assertThat(error.getCode()).isEqualTo(OAuth2Error.UNAUTHORIZED_CLIENT.getCode());
		assertThat(error.getHTTPStatusCode()).isEqualTo(400);
	}

	@Test
	void introspectAndRevokeWhenTokenOfAnotherClientThenNimbusSeesInactiveAndRefusal() throws Exception {
		TokenResponse issued = TokenResponse.parse(new TokenRequest(server.getTokenEndpointURI(), secret(client),
				new ResourceOwnerPasswordCredentialsGrant(user.username(), new Secret(TestAccounts.PASSWORD)))
			.toHTTPRequest().send());
		AccessToken token = issued.toSuccessResponse().getTokens().getAccessToken();
		IssuedSecret stranger = clients.create(new AuthClientDraft("Stranger " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD), List.of()));

		URI introspection = server.getIntrospectionEndpointURI();
		TokenIntrospectionResponse asStranger = TokenIntrospectionResponse
			.parse(new TokenIntrospectionRequest(introspection, secret(stranger), token).toHTTPRequest().send());
		assertThat(asStranger.indicatesSuccess()).isTrue();
		assertThat(asStranger.toSuccessResponse().isActive()).isFalse();
		assertThat(asStranger.toSuccessResponse().getClientID()).isNull();
		assertThat(asStranger.toSuccessResponse().getSubject()).isNull();

		HTTPResponse revocation = new TokenRevocationRequest(server.getRevocationEndpointURI(), secret(stranger), token)
			.toHTTPRequest().send();
		ErrorObject refused = ErrorObject.parse(revocation);
		assertThat(refused.getCode()).isEqualTo(OAuth2Error.UNAUTHORIZED_CLIENT.getCode());
		assertThat(refused.getHTTPStatusCode()).isEqualTo(400);

		TokenIntrospectionResponse asOwner = TokenIntrospectionResponse
			.parse(new TokenIntrospectionRequest(introspection, secret(client), token).toHTTPRequest().send());
		assertThat(asOwner.toSuccessResponse().isActive()).isTrue();
		assertThat(asOwner.toSuccessResponse().getClientID()).isEqualTo(new ClientID(client.client().id()));
	}

	@Test
	void discoveryThenGrantTypesAreOnlyThoseServed() {
		assertThat(server.getGrantTypes()).extracting(Object::toString)
			.containsExactlyInAnyOrder("authorization_code", "refresh_token", "password", "client_credentials",
					"urn:ietf:params:oauth:grant-type:device_code",
					"urn:ietf:params:oauth:grant-type:token-exchange");
	}

	private static ClientSecretBasic secret(IssuedSecret issued) {
		return new ClientSecretBasic(new ClientID(issued.client().id()), new Secret(issued.secret()));
	}

}
