package io.gatehouse.oauth;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.signin.Permissions;
import io.gatehouse.support.GatehouseHttpTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DPoP (RFC 9449) as an independent client library (the Nimbus SDK) does it: client credentials with a proof give a
 * DPoP token bound to the client's key; the REST API takes it with a fresh proof of each request, and refuses it
 * without one, as a plain bearer token, with a proof used before, or with a proof signed by another key.
 */
@GatehouseHttpTest
class DPoPNimbusIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	IssuedSecret client;

	ECKey key;

	DPoPProofFactory proofs;

	OAuthHttp http;

	@BeforeEach
	void setUp() throws Exception {
		client = clients.create(new AuthClientDraft("Nimbus DPoP " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
		jdbc.sql("insert into account_permission (account_id, permission_name) values (:id, :p)")
			.param("id", client.client().serviceAccountId()).param("p", Permissions.VIEW_AUTH_CLIENTS).update();
		key = new ECKeyGenerator(Curve.P_256).keyID("client-key").generate();
		proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
		http = new OAuthHttp(port, json);
	}

	@Test
	void clientCredentialsWhenProofSentThenDPoPTokenBoundToKeyWorksOnApiOnlyWithProof() throws Exception {
		DPoPAccessToken token = dpopToken();
		SignedJWT jwt = SignedJWT.parse(token.getValue());
		assertThat(jwt.getJWTClaimsSet().getJSONObjectClaim("cnf"))
			.containsEntry("jkt", key.toPublicJWK().computeThumbprint().toString());

		URI clients = URI.create(http.base() + "/api/1.0/auth-clients");
		var accepted = http.request("GET", "/api/1.0/auth-clients").header("Authorization", "DPoP " + token.getValue())
			.header("DPoP", proofs.createDPoPJWT("GET", clients, token).serialize()).send();
		assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);

		// a second request needs a proof of its own; the cached token does not stand in for it
		var withoutProof = http.request("GET", "/api/1.0/auth-clients")
			.header("Authorization", "DPoP " + token.getValue()).send();
		assertThat(withoutProof.status()).isEqualTo(401);
		assertThat(withoutProof.header("WWW-Authenticate")).startsWith("DPoP error=\"invalid_dpop_proof\"")
			.contains("algs=\"");

		var asBearer = http.request("GET", "/api/1.0/auth-clients")
			.header("Authorization", "Bearer " + token.getValue()).send();
		assertThat(asBearer.status()).isEqualTo(401);
		assertThat(asBearer.header("WWW-Authenticate")).startsWith("DPoP error=\"invalid_token\"");
	}

	@Test
	void apiWhenProofReplayedThenRefused() throws Exception {
		DPoPAccessToken token = dpopToken();
		String proof = proofs.createDPoPJWT("GET", URI.create(http.base() + "/api/1.0/auth-clients"), token)
			.serialize();
		var first = http.request("GET", "/api/1.0/auth-clients").header("Authorization", "DPoP " + token.getValue())
			.header("DPoP", proof).send();
		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		var replayed = http.request("GET", "/api/1.0/auth-clients").header("Authorization", "DPoP " + token.getValue())
			.header("DPoP", proof).send();
		assertThat(replayed.status()).isEqualTo(401);
		assertThat(replayed.header("WWW-Authenticate")).startsWith("DPoP error=\"invalid_dpop_proof\"");
	}

	@Test
	void apiWhenProofSignedByAnotherKeyThenRefused() throws Exception {
		DPoPAccessToken token = dpopToken();
		DPoPProofFactory thief = new DefaultDPoPProofFactory(new ECKeyGenerator(Curve.P_256).generate(),
				JWSAlgorithm.ES256);
		var stolen = http.request("GET", "/api/1.0/auth-clients").header("Authorization", "DPoP " + token.getValue())
			.header("DPoP", thief.createDPoPJWT("GET", URI.create(http.base() + "/api/1.0/auth-clients"), token)
				.serialize())
			.send();
		assertThat(stolen.status()).isEqualTo(401);
		assertThat(stolen.header("WWW-Authenticate")).startsWith("DPoP error=\"invalid_dpop_proof\"");
	}

	@Test
	void apiWhenProofForAnotherRequestThenRefused() throws Exception {
		DPoPAccessToken token = dpopToken();
		// htm of another method, then htu of another path
		for (String[] target : List.of(new String[] { "POST", "/api/1.0/auth-clients" },
				new String[] { "GET", "/api/1.0/users" })) {
			var response = http.request("GET", "/api/1.0/auth-clients")
				.header("Authorization", "DPoP " + token.getValue())
				.header("DPoP", proofs.createDPoPJWT(target[0], URI.create(http.base() + target[1]), token)
					.serialize())
				.send();
			assertThat(response.status()).as(String.join(" ", target)).isEqualTo(401);
			assertThat(response.header("WWW-Authenticate")).startsWith("DPoP error=\"invalid_dpop_proof\"");
		}
	}

	@Test
	void introspectionWhenTokenBoundThenCnfJktAndDPoPType() throws Exception {
		DPoPAccessToken token = dpopToken();
		JsonNode introspection = http.post("/oauth/introspect").basic(client.client().id(), client.secret())
			.form("token", token.getValue()).send().json();
		assertThat(introspection.get("active").asBoolean()).isTrue();
		assertThat(introspection.get("token_type").asString()).isEqualTo("DPoP");
		assertThat(introspection.get("cnf").get("jkt").asString())
			.isEqualTo(key.toPublicJWK().computeThumbprint().toString());
	}

	@Test
	void clientCredentialsWhenNoProofThenBearerTokenAsBefore() throws Exception {
		TokenRequest request = new TokenRequest(tokenEndpoint(), credentials(), new ClientCredentialsGrant(),
				new Scope("api"));
		AccessTokenResponse response = TokenResponse.parse(request.toHTTPRequest().send()).toSuccessResponse();
		assertThat(response.getTokens().getAccessToken().getType()).isEqualTo(AccessTokenType.BEARER);
		assertThat(SignedJWT.parse(response.getTokens().getAccessToken().getValue()).getJWTClaimsSet()
			.getClaim("cnf")).isNull();
	}

	@Test
	void discoveryWhenServedThenNamesDPoPAlgorithms() throws Exception {
		AuthorizationServerMetadata server = AuthorizationServerMetadata
			.resolve(new Issuer("http://localhost:" + port));
		assertThat(server.getDPoPJWSAlgs()).extracting(JWSAlgorithm::getName)
			.containsExactlyInAnyOrderElementsOf(DPoPProofs.ALGORITHMS);
		Map<String, Object> oidc = json.readValue(
				http.request("GET", "/.well-known/openid-configuration").send().body(), Map.class);
		assertThat(oidc.get("dpop_signing_alg_values_supported")).isEqualTo(DPoPProofs.ALGORITHMS);
	}

	private DPoPAccessToken dpopToken() throws Exception {
		TokenRequest request = new TokenRequest(tokenEndpoint(), credentials(), new ClientCredentialsGrant(),
				new Scope("api"));
		HTTPRequest http = request.toHTTPRequest();
		http.setDPoP(proofs.createDPoPJWT("POST", tokenEndpoint()));
		HTTPResponse response = http.send();
		assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
		AccessTokenResponse tokens = TokenResponse.parse(response).toSuccessResponse();
		assertThat(tokens.getTokens().getAccessToken().getType()).isEqualTo(AccessTokenType.DPOP);
		return tokens.getTokens().getDPoPAccessToken();
	}

	private URI tokenEndpoint() {
		return URI.create("http://localhost:" + port + "/oauth/token");
	}

	private ClientSecretBasic credentials() {
		return new ClientSecretBasic(new ClientID(client.client().id()), new Secret(client.secret()));
	}

}
