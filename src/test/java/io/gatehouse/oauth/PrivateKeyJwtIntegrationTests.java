package io.gatehouse.oauth;

import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import io.gatehouse.clients.AuthClient;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.support.GatehouseIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static io.gatehouse.support.OAuthRequests.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * private_key_jwt (RFC 7523 2.2) with the client's keys inline: assertions made by the Nimbus OAuth 2.0 SDK (an
 * independent client library) or signed by hand where a test needs a claim the SDK would not produce.
 */
@GatehouseIntegrationTest
class PrivateKeyJwtIntegrationTests {

	static final String TOKEN_ENDPOINT = "http://localhost/oauth/token";

	static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

	@Autowired
	MockMvc mvc;

	@Autowired
	AuthClientService clients;

	@Autowired
	JdbcClient jdbc;

	@Test
	void tokenWhenEs256AssertionFromNimbusThenAccessToken() throws Exception {
		ECKey key = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
		AuthClient client = keyClient(new JWKSet(key.toPublicJWK()).toString());

		String assertion = new PrivateKeyJWT(new ClientID(client.id()), URI.create(TOKEN_ENDPOINT), JWSAlgorithm.ES256,
				key.toECPrivateKey(), key.getKeyID(), null).getClientAssertion().serialize();

		token(assertion).andExpect(status().isOk()).andExpect(jsonPath("$.access_token").isString());
	}

	@Test
	void tokenWhenRs256AssertionFromNimbusThenAccessToken() throws Exception {
		RSAKey key = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
		AuthClient client = keyClient(new JWKSet(key.toPublicJWK()).toString());

		String assertion = new PrivateKeyJWT(new ClientID(client.id()), URI.create(TOKEN_ENDPOINT), JWSAlgorithm.RS256,
				key.toRSAPrivateKey(), key.getKeyID(), null).getClientAssertion().serialize();

		token(assertion).andExpect(status().isOk()).andExpect(jsonPath("$.token_type").value("Bearer"));
	}

	@Test
	void tokenWhenAssertionReplayedThenInvalidClientAndItsJtiStored() throws Exception {
		ECKey key = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
		AuthClient client = keyClient(new JWKSet(key.toPublicJWK()).toString());
		String assertion = new PrivateKeyJWT(new ClientID(client.id()), URI.create(TOKEN_ENDPOINT), JWSAlgorithm.ES256,
				key.toECPrivateKey(), key.getKeyID(), null).getClientAssertion().serialize();

		token(assertion).andExpect(status().isOk());
		invalidClient(token(assertion));
		assertThat(jdbc.sql("select count(*) from oauth_client_assertion where client_id = :id")
			.param("id", client.id()).query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void tokenWhenAudienceIsAnotherServerThenInvalidClient() throws Exception {
		Signer signer = new Signer();
		invalidClient(token(signer.sign(signer.claims().audience("https://elsewhere.example/oauth/token").build())));
	}

	@Test
	void tokenWhenAudienceIsTheIssuerThenAccessToken() throws Exception {
		Signer signer = new Signer();
		token(signer.sign(signer.claims().audience("http://localhost").build())).andExpect(status().isOk());
	}

	@Test
	void tokenWhenIssuerOrSubjectNotTheClientThenInvalidClient() throws Exception {
		Signer signer = new Signer();
		invalidClient(tokenAs(signer.client.id(), signer.sign(signer.claims().issuer("someone-else").build())));
		invalidClient(tokenAs(signer.client.id(), signer.sign(signer.claims().subject("someone-else").build())));
	}

	@Test
	void tokenWhenAssertionExpiredThenInvalidClient() throws Exception {
		Signer signer = new Signer();
		Instant past = Instant.now().minusSeconds(600);
		invalidClient(token(signer.sign(signer.claims().issueTime(Date.from(past))
			.expirationTime(Date.from(past.plusSeconds(120))).build())));
	}

	@Test
	void tokenWhenLifetimeOverFiveMinutesThenInvalidClient() throws Exception {
		Signer signer = new Signer();
		invalidClient(token(signer.sign(signer.claims().issueTime(new Date())
			.expirationTime(Date.from(Instant.now().plusSeconds(3600))).build())));
	}

	@Test
	void tokenWhenNoExpOrNoJtiThenInvalidClient() throws Exception {
		Signer signer = new Signer();
		invalidClient(token(signer.sign(signer.claims().expirationTime(null).build())));
		invalidClient(token(signer.sign(signer.claims().jwtID(null).build())));
	}

	@Test
	void tokenWhenSignedWithAKeyNotInTheClientsJwksThenInvalidClient() throws Exception {
		Signer signer = new Signer();
		ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(),
				signer.claims().build());
		jwt.sign(new ECDSASigner(stranger));
		invalidClient(token(jwt.serialize()));
	}

	@Test
	void tokenWhenPrivateKeyJwtClientSendsASecretThenInvalidClient() throws Exception {
		IssuedSecret secretClient = clients.create(new AuthClientDraft("Secret " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
		Signer signer = new Signer();

		// the key client has no secret of its own; even another client's valid secret under its id is refused
		invalidClient(mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(signer.client.id(), secretClient.secret()))
			.param("grant_type", "client_credentials")));
		invalidClient(mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.param("client_id", signer.client.id())
			.param("client_secret", secretClient.secret())
			.param("grant_type", "client_credentials")));
	}

	@Test
	void discoveryWhenReadThenPrivateKeyJwtIsAnAuthenticationMethod() throws Exception {
		mvc.perform(get("/.well-known/oauth-authorization-server"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.token_endpoint_auth_methods_supported", hasItem("private_key_jwt")))
			.andExpect(jsonPath("$.introspection_endpoint_auth_methods_supported", hasItem("private_key_jwt")));
	}

	@Test
	void introspectWhenPrivateKeyJwtThenClientAuthenticated() throws Exception {
		Signer signer = new Signer();
		mvc.perform(post("/oauth/introspect").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.param("token", "unknown")
			.param("client_id", signer.client.id())
			.param("client_assertion_type", JWT_BEARER)
			.param("client_assertion", signer.sign(signer.claims().audience("http://localhost/oauth/introspect")
				.build())))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.active").value(false));
	}

	@Test
	void updateWhenSecretClientSwitchesToPrivateKeyJwtThenItsSecretRefusedAndAssertionAcceptedAndAudited()
			throws Exception {
		IssuedSecret issued = clients.create(new AuthClientDraft("Switching " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
		String id = issued.client().id();
		secretToken(id, issued.secret()).andExpect(status().isOk());
		ECKey key = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();

		clients.update(id, null, new AuthClientDraft(issued.client().name(), Set.of(GrantType.CLIENT_CREDENTIALS),
				List.of(), false, false, false, List.of(), false, new AuthClientDraft.Authentication("private_key_jwt",
						new JWKSet(key.toPublicJWK()).toString(), null)));

		invalidClient(secretToken(id, issued.secret()));
		token(new PrivateKeyJWT(new ClientID(id), URI.create(TOKEN_ENDPOINT), JWSAlgorithm.ES256,
				key.toECPrivateKey(), key.getKeyID(), null).getClientAssertion().serialize())
			.andExpect(status().isOk());
		assertThat(jdbc.sql("select changes from audit_record where subject_id = :id and action = 'updated'")
			.param("id", id).query(String.class).single())
			.contains("token_endpoint_auth_method", "client_secret_basic", "private_key_jwt", "jwks")
			// the record says the keys changed; it does not copy them
			.doesNotContain(key.getX().toString());
	}

	@Test
	void createWhenPrivateKeyJwtThenNoSecretIssued() throws Exception {
		ECKey key = new ECKeyGenerator(Curve.P_256).generate();
		IssuedSecret issued = clients.create(draft(new JWKSet(key.toPublicJWK()).toString()));

		assertThat(issued.secret()).isNull();
		assertThat(jdbc.sql("select count(*) from auth_client_secret where client_id = :id")
			.param("id", issued.client().id()).query(Long.class).single()).isZero();
	}

	/** A key client with one EC key, and claims that pass every check, to be spoiled one at a time. */
	private final class Signer {

		final ECKey key;

		final AuthClient client;

		Signer() throws Exception {
			this.key = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
			this.client = keyClient(new JWKSet(this.key.toPublicJWK()).toString());
		}

		JWTClaimsSet.Builder claims() {
			Instant now = Instant.now();
			return new JWTClaimsSet.Builder().issuer(this.client.id())
				.subject(this.client.id())
				.audience(TOKEN_ENDPOINT)
				.issueTime(Date.from(now))
				.expirationTime(Date.from(now.plusSeconds(120)))
				.jwtID(UUID.randomUUID().toString());
		}

		String sign(JWTClaimsSet claims) throws Exception {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), claims);
			jwt.sign(new ECDSASigner(this.key));
			return jwt.serialize();
		}

	}

	private AuthClient keyClient(String jwks) {
		return clients.create(draft(jwks)).client();
	}

	static AuthClientDraft draft(String jwks) {
		return new AuthClientDraft("Keys " + UUID.randomUUID(), Set.of(GrantType.CLIENT_CREDENTIALS), List.of(),
				false, false, false, List.of(), false,
				new AuthClientDraft.Authentication("private_key_jwt", jwks, null));
	}

	private ResultActions token(String assertion) throws Exception {
		return tokenAs(SignedJWT.parse(assertion).getJWTClaimsSet().getSubject(), assertion);
	}

	private ResultActions tokenAs(String clientId, String assertion) throws Exception {
		return mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.param("grant_type", "client_credentials")
			.param("client_id", clientId)
			.param("client_assertion_type", JWT_BEARER)
			.param("client_assertion", assertion));
	}

	private ResultActions secretToken(String clientId, String secret) throws Exception {
		return mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(clientId, secret))
			.param("grant_type", "client_credentials"));
	}

	private static void invalidClient(ResultActions result) throws Exception {
		result.andExpect(status().isUnauthorized()).andExpect(jsonPath("$.error").value("invalid_client"));
	}

}
