package io.gatehouse.registration;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.client.ClientDeleteRequest;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientInformationResponse;
import com.nimbusds.oauth2.sdk.client.ClientMetadata;
import com.nimbusds.oauth2.sdk.client.ClientReadRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationErrorResponse;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.client.ClientUpdateRequest;
import com.nimbusds.oauth2.sdk.client.RegistrationError;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import io.gatehouse.clients.AuthClient;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.registration.InitialAccessTokenService.IssuedInitialAccessToken;
import io.gatehouse.secrets.Secrets;
import io.gatehouse.support.GatehouseHttpTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 7591 registration and RFC 7592 management as an independent client library (the Nimbus SDK) does them, over
 * real HTTP: it finds the endpoint by discovery, sends its own requests and parses the answers with its own parsers.
 */
@GatehouseHttpTest
class ClientRegistrationHttpIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	InitialAccessTokenService initialTokens;

	@Autowired
	AuthClientService clients;

	URI registration;

	URI tokenEndpoint;

	@BeforeEach
	void setUp() throws Exception {
		AuthorizationServerMetadata server = AuthorizationServerMetadata
			.resolve(new Issuer("http://localhost:" + port));
		registration = server.getRegistrationEndpointURI();
		tokenEndpoint = server.getTokenEndpointURI();
	}

	@Test
	void discoveryWhenReadThenBothDocumentsNameTheRegistrationEndpoint() throws Exception {
		assertThat(registration).isEqualTo(URI.create("http://localhost:" + port + "/oauth/register"));
		OIDCProviderMetadata oidc = OIDCProviderMetadata.resolve(new Issuer("http://localhost:" + port));
		assertThat(oidc.getRegistrationEndpointURI()).isEqualTo(registration);
	}

	@Test
	void registerWhenInitialAccessTokenThenClientWithSecretHashedAndItGetsATokenAndTheConsoleListsIt()
			throws Exception {
		IssuedInitialAccessToken initial = initialTokens.create("CI " + UUID.randomUUID(), 3600L, false);
		String name = "Pipeline " + UUID.randomUUID();

		ClientInformation info = register(initial.value(), clientCredentials(name)).getClientInformation();

		assertThat(info.getSecret()).isNotNull();
		String secret = info.getSecret().getValue();
		assertThat(secret).startsWith("gtcs_");
		assertThat(info.getSecret().getExpirationDate()).isNull();
		assertThat(info.getMetadata().getName()).isEqualTo(name);
		assertThat(info.getMetadata().getGrantTypes()).containsExactly(GrantType.CLIENT_CREDENTIALS);
		assertThat(info.getMetadata().getTokenEndpointAuthMethod())
			.isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
		assertThat(info.getIDIssueDate()).isNotNull();
		String registrationToken = info.getRegistrationAccessToken().getValue();
		assertThat(registrationToken).startsWith("gtrat_");
		assertThat(info.getRegistrationURI())
			.isEqualTo(URI.create("http://localhost:" + port + "/oauth/register/" + info.getID().getValue()));
		String id = info.getID().getValue();
		// only hashes are stored
		assertThat(jdbc.sql("select secret_hash from auth_client_secret where client_id = :id").param("id", id)
			.query(String.class).single()).isEqualTo(Secrets.sha256(secret));
		assertThat(jdbc.sql("select token_hash from client_registration where client_id = :id").param("id", id)
			.query(String.class).single()).isEqualTo(Secrets.sha256(registrationToken));
		// the console's client, audited as made by the registration
		assertThat(clients.get(id).name()).isEqualTo(name);
		assertThat(jdbc.sql("select actor_username from audit_record where subject_id = :id and action = 'created'")
			.param("id", id).query(String.class).single()).isEqualTo("registration:" + initial.token().id());

		TokenResponse token = TokenResponse.parse(new TokenRequest(tokenEndpoint,
				new ClientSecretBasic(info.getID(), info.getSecret()), new ClientCredentialsGrant()).toHTTPRequest()
			.send());
		assertThat(token.indicatesSuccess()).isTrue();
	}

	@Test
	void registerWhenPublicClientWithCodeGrantThenNoSecretAndAuthMethodNone() throws Exception {
		IssuedInitialAccessToken initial = initialTokens.create("CI " + UUID.randomUUID(), 3600L, false);
		ClientMetadata metadata = new ClientMetadata();
		metadata.setName("SPA " + UUID.randomUUID());
		metadata.setRedirectionURI(URI.create("https://spa.example.com/callback"));
		metadata.setGrantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN));
		metadata.setTokenEndpointAuthMethod(ClientAuthenticationMethod.NONE);

		ClientInformation info = register(initial.value(), metadata).getClientInformation();

		assertThat(info.getSecret()).isNull();
		assertThat(info.getMetadata().getTokenEndpointAuthMethod()).isEqualTo(ClientAuthenticationMethod.NONE);
		assertThat(info.getMetadata().getRedirectionURIs()).containsExactly(
				URI.create("https://spa.example.com/callback"));
		assertThat(clients.get(info.getID().getValue()).publicClient()).isTrue();
	}

	@Test
	void registerWhenPrivateKeyJwtWithJwksThenNoSecretAndTheClientGetsATokenWithItsAssertion() throws Exception {
		IssuedInitialAccessToken initial = initialTokens.create("CI " + UUID.randomUUID(), 3600L, false);
		ECKey key = new ECKeyGenerator(Curve.P_256).keyID("ci-key").generate();
		ClientMetadata metadata = clientCredentials("Keyed pipeline " + UUID.randomUUID());
		metadata.setTokenEndpointAuthMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
		metadata.setJWKSet(new JWKSet(key.toPublicJWK()));

		ClientInformation info = register(initial.value(), metadata).getClientInformation();

		assertThat(info.getSecret()).isNull();
		assertThat(info.getMetadata().getTokenEndpointAuthMethod())
			.isEqualTo(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
		assertThat(info.getMetadata().getJWKSet().getKeyByKeyId("ci-key")).isNotNull();
		assertThat(jdbc.sql("select count(*) from auth_client_secret where client_id = :id")
			.param("id", info.getID().getValue()).query(Long.class).single()).isZero();
		TokenResponse token = TokenResponse.parse(new TokenRequest(tokenEndpoint,
				new PrivateKeyJWT(info.getID(), tokenEndpoint, JWSAlgorithm.ES256, key.toECPrivateKey(), "ci-key",
						null),
				new ClientCredentialsGrant()).toHTTPRequest().send());
		assertThat(token.indicatesSuccess()).as(token.toHTTPResponse().getBody()).isTrue();
	}

	@Test
	void registerWhenNoInitialAccessTokenThen401AndNothingCreated() throws Exception {
		String name = "Anonymous " + UUID.randomUUID();
		HTTPResponse http = new ClientRegistrationRequest(registration, clientCredentials(name), null)
			.toHTTPRequest().send();

		assertThat(http.getStatusCode()).isEqualTo(401);
		assertThat(http.getHeaderValue("WWW-Authenticate")).isEqualTo("Bearer realm=\"gatehouse\"");
		assertThat(clientsNamed(name)).isZero();
	}

	@Test
	void registerWhenInitialAccessTokenExpiredRevokedUnknownOrUsedUpThen401InvalidToken() throws Exception {
		IssuedInitialAccessToken expired = initialTokens.create("Expired " + UUID.randomUUID(), 3600L, false);
		jdbc.sql("update initial_access_token set expires_at = created_at - interval '1' second where id = :id")
			.param("id", expired.token().id()).update();
		IssuedInitialAccessToken revoked = initialTokens.create("Revoked " + UUID.randomUUID(), 3600L, false);
		initialTokens.revoke(revoked.token().id());
		IssuedInitialAccessToken once = initialTokens.create("Once " + UUID.randomUUID(), 3600L, true);
		register(once.value(), clientCredentials("First " + UUID.randomUUID()));

		for (String value : List.of(expired.value(), revoked.value(), once.value(), "gtiat_unknown")) {
			String name = "Refused " + UUID.randomUUID();
			HTTPResponse http = new ClientRegistrationRequest(registration, clientCredentials(name),
					new BearerAccessToken(value)).toHTTPRequest().send();
			assertThat(http.getStatusCode()).as(value).isEqualTo(401);
			assertThat(http.getHeaderValue("WWW-Authenticate")).contains("error=\"invalid_token\"");
			assertThat(ClientRegistrationErrorResponse.parse(http).getErrorObject().getCode())
				.isEqualTo("invalid_token");
			assertThat(clientsNamed(name)).isZero();
		}
	}

	@Test
	void registerWhenMetadataBadThenRfc7591ErrorCodesAndSingleUseTokenStillUnused() throws Exception {
		IssuedInitialAccessToken once = initialTokens.create("Once " + UUID.randomUUID(), 3600L, true);
		String taken = "Taken " + UUID.randomUUID();
		IssuedInitialAccessToken many = initialTokens.create("Many " + UUID.randomUUID(), 3600L, false);
		register(many.value(), clientCredentials(taken));

		ClientMetadata badRedirect = codeClient("Bad redirect " + UUID.randomUUID(), "http://app.example.com/cb");
		assertThat(refused(once.value(), badRedirect).getErrorObject().getCode())
			.isEqualTo(RegistrationError.INVALID_REDIRECT_URI.getCode());
		ClientMetadata noRedirect = codeClient("No redirect " + UUID.randomUUID(), null);
		assertThat(refused(once.value(), noRedirect).getErrorObject().getCode())
			.isEqualTo(RegistrationError.INVALID_REDIRECT_URI.getCode());
		assertThat(refused(once.value(), clientCredentials(taken)).getErrorObject())
			.satisfies(error -> assertThat(error.getCode()).isEqualTo("invalid_client_metadata"))
			.satisfies(error -> assertThat(error.getDescription()).contains("client_name"));
		ClientMetadata implicit = clientCredentials("Implicit " + UUID.randomUUID());
		implicit.setGrantTypes(Set.of(GrantType.IMPLICIT));
		assertThat(refused(once.value(), implicit).getErrorObject().getCode()).isEqualTo("invalid_client_metadata");
		ClientMetadata plainHttpKeys = clientCredentials("Keys " + UUID.randomUUID());
		plainHttpKeys.setTokenEndpointAuthMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
		plainHttpKeys.setJWKSetURI(URI.create("http://keys.example.com/jwks"));
		assertThat(refused(once.value(), plainHttpKeys).getErrorObject())
			.satisfies(error -> assertThat(error.getCode()).isEqualTo("invalid_client_metadata"))
			.satisfies(error -> assertThat(error.getDescription()).contains("jwks_uri"));
		ClientMetadata keysWithSecret = clientCredentials("Keys and secret " + UUID.randomUUID());
		keysWithSecret.setJWKSet(new JWKSet(new ECKeyGenerator(Curve.P_256).generate().toPublicJWK()));
		assertThat(refused(once.value(), keysWithSecret).getErrorObject())
			.satisfies(error -> assertThat(error.getCode()).isEqualTo("invalid_client_metadata"))
			.satisfies(error -> assertThat(error.getDescription()).contains("private_key_jwt"));
		String privateKey = new ECKeyGenerator(Curve.P_256).generate().toJSONString();
		HttpResponse<String> privateKeys = rawRegister(once.value(), "application/json", "{\"client_name\": \"Private "
				+ UUID.randomUUID() + "\", \"grant_types\": [\"client_credentials\"], \"token_endpoint_auth_method\": "
				+ "\"private_key_jwt\", \"jwks\": {\"keys\": [" + privateKey + "]}}");
		assertThat(privateKeys.statusCode()).as(privateKeys.body()).isEqualTo(400);
		assertThat(privateKeys.body()).contains("invalid_client_metadata");
		ClientMetadata badScope = clientCredentials("Scope " + UUID.randomUUID());
		badScope.setScope(com.nimbusds.oauth2.sdk.Scope.parse("api admin"));
		assertThat(refused(once.value(), badScope).getErrorObject().getCode()).isEqualTo("invalid_client_metadata");
		assertThat(rawRegister(once.value(), "application/json", "[1, 2]").statusCode()).isEqualTo(400);
		assertThat(rawRegister(once.value(), "text/plain", "{}").statusCode()).isEqualTo(400);
		assertThat(rawRegister(once.value(), "application/json",
				"{\"client_name\": \"" + "x".repeat(70_000) + "\"}").body()).contains("at most 64 KiB");
		for (String wrongType : List.of("{\"client_name\": 5}", "{\"redirect_uris\": \"https://a.example/cb\"}",
				"{\"client_name\": \"x\", \"client_name\": \"y\"}", "{\"client_name\": ")) {
			HttpResponse<String> answer = rawRegister(once.value(), "application/json", wrongType);
			assertThat(answer.statusCode()).as(wrongType).isEqualTo(400);
			assertThat(answer.body()).as(wrongType).contains("invalid_client_metadata");
		}

		// nothing was registered with the single-use token, so it still works, once
		register(once.value(), clientCredentials("Finally " + UUID.randomUUID()));
		assertThat(refused(once.value(), clientCredentials("Again " + UUID.randomUUID())).getErrorObject().getCode())
			.isEqualTo("invalid_token");
	}

	@Test
	void registerWhenSingleUseTokenSentByManyThreadsAtOnceThenExactlyOneClient() throws Exception {
		IssuedInitialAccessToken once = initialTokens.create("Race " + UUID.randomUUID(), 3600L, true);
		String prefix = "Race " + UUID.randomUUID();
		int threads = 8;
		CyclicBarrier start = new CyclicBarrier(threads);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<Integer>> statuses = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				String name = prefix + " " + i;
				statuses.add(pool.submit(() -> {
					start.await();
					return new ClientRegistrationRequest(registration, clientCredentials(name),
							new BearerAccessToken(once.value())).toHTTPRequest().send().getStatusCode();
				}));
			}
			List<Integer> answers = new ArrayList<>();
			for (Future<Integer> status : statuses) {
				answers.add(status.get());
			}
			assertThat(answers).containsOnly(201, 401);
			assertThat(answers).filteredOn(status -> status == 201).hasSize(1);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(jdbc.sql("select count(*) from auth_client where name like :p and revoked = false")
			.param("p", prefix + "%").query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void readUpdateDeleteWhenRegistrationAccessTokenThenRfc7592AndDeleteRevokesTokens() throws Exception {
		IssuedInitialAccessToken initial = initialTokens.create("CI " + UUID.randomUUID(), 3600L, false);
		OIDCClientMetadata asked = new OIDCClientMetadata();
		asked.setName("App " + UUID.randomUUID());
		asked.setRedirectionURI(URI.create("https://app.example.com/cb"));
		asked.setGrantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.CLIENT_CREDENTIALS));
		asked.setPostLogoutRedirectionURIs(Set.of(URI.create("https://app.example.com/bye")));
		ClientInformation registered = register(initial.value(), asked).getClientInformation();
		BearerAccessToken token = registered.getRegistrationAccessToken();
		URI uri = registered.getRegistrationURI();
		String id = registered.getID().getValue();

		// read: the metadata, never the secret
		HTTPResponse readHttp = new ClientReadRequest(uri, token).toHTTPRequest().send();
		assertThat(readHttp.getStatusCode()).isEqualTo(200);
		assertThat(readHttp.getBody()).doesNotContain(registered.getSecret().getValue());
		ClientInformation read = ClientInformationResponse.parse(readHttp).getClientInformation();
		assertThat(read.getSecret()).isNull();
		assertThat(read.getMetadata().getName()).isEqualTo(asked.getName());
		assertThat(read.getMetadata().getGrantTypes()).contains(GrantType.AUTHORIZATION_CODE,
				GrantType.CLIENT_CREDENTIALS);
		assertThat(((List<?>) read.getMetadata().getCustomField("post_logout_redirect_uris")).stream()
			.map(String::valueOf).toList()).containsExactly("https://app.example.com/bye");

		// update: replaced; the post-logout redirect left out is gone, the secret is untouched
		ClientMetadata replacement = codeClient("Renamed " + UUID.randomUUID(), "https://app.example.com/cb2");
		replacement.setGrantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.CLIENT_CREDENTIALS));
		HTTPResponse updateHttp = new ClientUpdateRequest(uri, registered.getID(), token, replacement, null)
			.toHTTPRequest().send();
		assertThat(updateHttp.getStatusCode()).isEqualTo(200);
		ClientInformation updated = ClientInformationResponse.parse(updateHttp).getClientInformation();
		assertThat(updated.getMetadata().getName()).isEqualTo(replacement.getName());
		assertThat(clients.get(id).redirectUris()).containsExactly("https://app.example.com/cb2");
		assertThat(clients.get(id).postLogoutRedirectUris()).isEmpty();
		assertThat(jdbc.sql("select actor_username from audit_record where subject_id = :id and action = 'updated'")
			.param("id", id).query(String.class).single()).isEqualTo("client:" + id);

		// update naming another client_id, or with bad metadata: 400, nothing changed
		HTTPResponse mismatch = new ClientUpdateRequest(uri, new ClientID("someone-else"), token, replacement, null)
			.toHTTPRequest().send();
		assertThat(mismatch.getStatusCode()).isEqualTo(400);
		assertThat(ClientRegistrationErrorResponse.parse(mismatch).getErrorObject().getCode())
			.isEqualTo("invalid_client_metadata");
		ClientMetadata bad = codeClient(replacement.getName(), "http://app.example.com/cb2");
		HTTPResponse badUpdate = new ClientUpdateRequest(uri, registered.getID(), token, bad, null).toHTTPRequest()
			.send();
		assertThat(ClientRegistrationErrorResponse.parse(badUpdate).getErrorObject().getCode())
			.isEqualTo("invalid_redirect_uri");
		assertThat(clients.get(id).redirectUris()).containsExactly("https://app.example.com/cb2");

		// delete: 204, the client's tokens revoked as the console's delete does, the token no longer works
		TokenResponse issued = TokenResponse.parse(new TokenRequest(tokenEndpoint,
				new ClientSecretBasic(registered.getID(), registered.getSecret()), new ClientCredentialsGrant())
			.toHTTPRequest().send());
		assertThat(issued.indicatesSuccess()).isTrue();
		HTTPResponse deleted = new ClientDeleteRequest(uri, token).toHTTPRequest().send();
		assertThat(deleted.getStatusCode()).isEqualTo(204);
		assertThat(jdbc.sql("select revoked from auth_client where id = :id").param("id", id).query(Boolean.class)
			.single()).isTrue();
		assertThat(jdbc.sql("select count(*) from oauth_authorization where client_id = :id and revoked_at is null")
			.param("id", id).query(Long.class).single()).isZero();
		assertThat(new ClientReadRequest(uri, token).toHTTPRequest().send().getStatusCode()).isEqualTo(401);
		assertThat(TokenResponse.parse(new TokenRequest(tokenEndpoint,
				new ClientSecretBasic(registered.getID(), registered.getSecret()), new ClientCredentialsGrant())
			.toHTTPRequest().send()).indicatesSuccess()).isFalse();
	}

	@Test
	void updateWhenAdministratorSettingsThenKeptAndAuthMethodSwitchOrWrongSecretRefused() throws Exception {
		IssuedInitialAccessToken initial = initialTokens.create("CI " + UUID.randomUUID(), 3600L, false);
		ClientInformation registered = register(initial.value(),
				codeClient("Resource " + UUID.randomUUID(), "https://api.example.com/cb")).getClientInformation();
		String id = registered.getID().getValue();
		URI uri = registered.getRegistrationURI();
		BearerAccessToken token = registered.getRegistrationAccessToken();
		AuthClient current = clients.get(id);
		// an administrator lets the client introspect other clients' tokens and requires DPoP of it: no registration
		// may set or drop either
		clients.update(id, null, new AuthClientDraft(current.name(), current.grants(), current.redirectUris(), false,
				true, false, List.of(), false, true));

		ClientMetadata renamed = codeClient("Renamed " + UUID.randomUUID(), "https://api.example.com/cb");
		HTTPResponse updated = new ClientUpdateRequest(uri, registered.getID(), token, renamed,
				registered.getSecret()).toHTTPRequest().send();
		assertThat(updated.getStatusCode()).as(updated.getBody()).isEqualTo(200);
		assertThat(clients.get(id).name()).isEqualTo(renamed.getName());
		assertThat(clients.get(id).introspectOthers()).isTrue();
		assertThat(clients.get(id).requireDpop()).isTrue();

		ClientMetadata toPublic = codeClient("Public " + UUID.randomUUID(), "https://api.example.com/cb");
		toPublic.setTokenEndpointAuthMethod(ClientAuthenticationMethod.NONE);
		HTTPResponse switched = new ClientUpdateRequest(uri, registered.getID(), token, toPublic, null)
			.toHTTPRequest().send();
		assertThat(switched.getStatusCode()).isEqualTo(400);
		assertThat(ClientRegistrationErrorResponse.parse(switched).getErrorObject().getCode())
			.isEqualTo("invalid_client_metadata");
		HTTPResponse wrongSecret = new ClientUpdateRequest(uri, registered.getID(), token,
				codeClient("Other " + UUID.randomUUID(), "https://api.example.com/cb"), new Secret("gtcs_wrong"))
			.toHTTPRequest().send();
		assertThat(wrongSecret.getStatusCode()).isEqualTo(400);
		assertThat(clients.get(id).name()).isEqualTo(renamed.getName());
		assertThat(clients.get(id).publicClient()).isFalse();
	}

	@Test
	void registrationAccessTokenWhenOfAnotherClientWrongOrAbsentThen401() throws Exception {
		IssuedInitialAccessToken initial = initialTokens.create("CI " + UUID.randomUUID(), 3600L, false);
		ClientInformation a = register(initial.value(), clientCredentials("A " + UUID.randomUUID()))
			.getClientInformation();
		ClientInformation b = register(initial.value(), clientCredentials("B " + UUID.randomUUID()))
			.getClientInformation();
		URI uriOfB = b.getRegistrationURI();

		HTTPResponse read = new ClientReadRequest(uriOfB, a.getRegistrationAccessToken()).toHTTPRequest().send();
		assertThat(read.getStatusCode()).isEqualTo(401);
		assertThat(read.getHeaderValue("WWW-Authenticate")).contains("error=\"invalid_token\"");
		assertThat(new ClientUpdateRequest(uriOfB, b.getID(), a.getRegistrationAccessToken(),
				clientCredentials("Stolen " + UUID.randomUUID()), null).toHTTPRequest().send().getStatusCode())
			.isEqualTo(401);
		assertThat(new ClientDeleteRequest(uriOfB, a.getRegistrationAccessToken()).toHTTPRequest().send()
			.getStatusCode()).isEqualTo(401);
		assertThat(new ClientReadRequest(uriOfB, new BearerAccessToken(initial.value())).toHTTPRequest().send()
			.getStatusCode()).isEqualTo(401);
		HttpResponse<String> absent = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(uriOfB).DELETE().build(), HttpResponse.BodyHandlers.ofString());
		assertThat(absent.statusCode()).isEqualTo(401);
		assertThat(clients.get(b.getID().getValue()).name()).isEqualTo(b.getMetadata().getName());
	}

	private ClientInformationResponse register(String initialToken, ClientMetadata metadata) throws Exception {
		HTTPResponse http = new ClientRegistrationRequest(registration, metadata, new BearerAccessToken(initialToken))
			.toHTTPRequest().send();
		assertThat(http.getStatusCode()).as(http.getBody()).isEqualTo(201);
		assertThat(http.getHeaderValue("Cache-Control")).contains("no-store");
		ClientRegistrationResponse response = ClientRegistrationResponse.parse(http);
		return (ClientInformationResponse) response;
	}

	private ClientRegistrationErrorResponse refused(String initialToken, ClientMetadata metadata) throws Exception {
		HTTPResponse http = new ClientRegistrationRequest(registration, metadata, new BearerAccessToken(initialToken))
			.toHTTPRequest().send();
		assertThat(http.getStatusCode()).as(http.getBody()).isIn(400, 401);
		return ClientRegistrationErrorResponse.parse(http);
	}

	private HttpResponse<String> rawRegister(String initialToken, String contentType, String body) throws Exception {
		return HttpClient.newHttpClient().send(HttpRequest.newBuilder(registration)
			.header("Authorization", "Bearer " + initialToken)
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private long clientsNamed(String name) {
		return jdbc.sql("select count(*) from auth_client where name = :n").param("n", name).query(Long.class)
			.single();
	}

	private static ClientMetadata clientCredentials(String name) {
		ClientMetadata metadata = new ClientMetadata();
		metadata.setName(name);
		metadata.setGrantTypes(Set.of(GrantType.CLIENT_CREDENTIALS));
		return metadata;
	}

	private static ClientMetadata codeClient(String name, String redirect) {
		ClientMetadata metadata = new ClientMetadata();
		metadata.setName(name);
		if (redirect != null) {
			metadata.setRedirectionURI(URI.create(redirect));
		}
		metadata.setGrantTypes(Set.of(GrantType.AUTHORIZATION_CODE));
		return metadata;
	}

}
