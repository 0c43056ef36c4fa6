package io.gatehouse.oauth;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.support.GatehouseHttpTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9449 4.3 at the token endpoint, one check at a time: each malformed proof is {@code invalid_dpop_proof} (400)
 * and no token is issued; a client with "Require DPoP" gets no token without a proof.
 */
@GatehouseHttpTest
class DPoPProofHttpIntegrationTests {

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

	OAuthHttp http;

	@BeforeEach
	void setUp() throws Exception {
		client = clients.create(new AuthClientDraft("DPoP proofs " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
		key = new ECKeyGenerator(Curve.P_256).generate();
		http = new OAuthHttp(port, json);
	}

	@Test
	void tokenWhenProofValidThenDPoPTokenType() throws Exception {
		var response = token(client, proof(claims -> {
		}));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("token_type").asString()).isEqualTo("DPoP");
	}

	@Test
	void tokenWhenTypIsNotDpopJwtThenInvalidDPoPProof() throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
			.jwk(key.toPublicJWK()).build(), claims(builder -> {
			}));
		jwt.sign(new ECDSASigner(key));
		assertRefused(jwt.serialize());
	}

	@Test
	void tokenWhenSymmetricAlgorithmThenInvalidDPoPProof() throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("dpop+jwt"))
			.jwk(key.toPublicJWK()).build(), claims(builder -> {
			}));
		jwt.sign(new MACSigner(new byte[32]));
		assertRefused(jwt.serialize());
	}

	@Test
	void tokenWhenNoJwkThenInvalidDPoPProof() throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
			.build(), claims(builder -> {
			}));
		jwt.sign(new ECDSASigner(key));
		assertRefused(jwt.serialize());
	}

	@Test
	void tokenWhenJwkHoldsPrivateKeyThenInvalidDPoPProof() throws Exception {
		// Nimbus will not put a private key in a header, so the header is written by hand
		String header = base64Url("{\"typ\":\"dpop+jwt\",\"alg\":\"ES256\",\"jwk\":" + key.toJSONString() + "}");
		String payload = base64Url(claims(builder -> {
		}).toString());
		String signingInput = header + "." + payload;
		String signature = new ECDSASigner(key).sign(new JWSHeader(JWSAlgorithm.ES256),
				signingInput.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).toString();
		assertThat(key.isPrivate()).isTrue();
		assertRefused(signingInput + "." + signature);
	}

	@Test
	void tokenWhenSignatureFromAnotherKeyThenInvalidDPoPProof() throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
			.jwk(key.toPublicJWK()).build(), claims(builder -> {
			}));
		jwt.sign(new ECDSASigner(new ECKeyGenerator(Curve.P_256).generate()));
		assertRefused(jwt.serialize());
	}

	@Test
	void tokenWhenHtmOrHtuWrongThenInvalidDPoPProof() throws Exception {
		assertRefused(proof(claims -> claims.claim("htm", "GET")));
		assertRefused(proof(claims -> claims.claim("htu", http.base() + "/oauth/introspect")));
		assertRefused(proof(claims -> claims.claim("htu", "http://evil.example/oauth/token")));
	}

	@Test
	void apiWhenRequestHasQueryThenProofHtuWithoutItIsAccepted() throws Exception {
		String token = token(client, proof(claims -> {
		})).json().get("access_token").asString();
		String ath = DPoPProofs.sha256(token);
		var response = http.request("GET", "/api/1.0/auth-clients").query("page=0&size=5")
			.header("Authorization", "DPoP " + token)
			.header("DPoP", proof(claims -> claims.claim("htm", "GET")
				.claim("htu", http.base() + "/api/1.0/auth-clients")
				.claim("ath", ath)))
			.send();
		// authenticated as the client's service account, which may not list clients
		assertThat(response.status()).as(response.toString()).isEqualTo(403);

		var withoutAth = http.request("GET", "/api/1.0/auth-clients").header("Authorization", "DPoP " + token)
			.header("DPoP", proof(claims -> claims.claim("htm", "GET")
				.claim("htu", http.base() + "/api/1.0/auth-clients")))
			.send();
		assertThat(withoutAth.status()).isEqualTo(401);
		assertThat(withoutAth.header("WWW-Authenticate")).startsWith("DPoP error=\"invalid_dpop_proof\"");
	}

	@Test
	void tokenWhenIatOutsideWindowOrMissingThenInvalidDPoPProof() throws Exception {
		assertRefused(proof(claims -> claims.issueTime(Date.from(Instant.now().minusSeconds(40)))));
		assertRefused(proof(claims -> claims.issueTime(Date.from(Instant.now().plusSeconds(30)))));
		assertRefused(proof(claims -> claims.issueTime(null)));
	}

	@Test
	void tokenWhenJtiMissingThenInvalidDPoPProof() throws Exception {
		assertRefused(proof(claims -> claims.jwtID(null)));
	}

	@Test
	void tokenWhenProofReplayedThenInvalidDPoPProofAndNoSecondToken() throws Exception {
		String proof = proof(claims -> {
		});
		assertThat(token(client, proof).status()).isEqualTo(200);
		assertRefused(proof);
		assertThat(jdbc.sql("select count(*) from dpop_proof where jti_hash = :hash")
			.param("hash", io.gatehouse.secrets.Secrets.sha256(SignedJWT.parse(proof).getJWTClaimsSet().getJWTID()))
			.query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void tokenWhenJtiRecordedByAnotherNodeThenInvalidDPoPProof() throws Exception {
		// another node took this proof: only the database knows, not this node's memory
		String jti = UUID.randomUUID().toString();
		jdbc.sql("insert into dpop_proof (jti_hash, expires_at) values (:hash, :expires)")
			.param("hash", io.gatehouse.secrets.Secrets.sha256(jti))
			.param("expires", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusMinutes(2))
			.update();
		assertRefused(proof(claims -> claims.jwtID(jti)));
	}

	@Test
	void tokenWhenSignatureFailsThenJtiNotUsedUp() throws Exception {
		// the jti is recorded only once the signature verified: a forged copy cannot use up a client's proof
		String jti = UUID.randomUUID().toString();
		SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
			.type(new JOSEObjectType("dpop+jwt"))
			.jwk(key.toPublicJWK())
			.build(), claims(claims -> claims.jwtID(jti)));
		forged.sign(new ECDSASigner(new ECKeyGenerator(Curve.P_256).generate()));
		assertRefused(forged.serialize());

		var genuine = token(client, proof(claims -> claims.jwtID(jti)));
		assertThat(genuine.status()).as(genuine.toString()).isEqualTo(200);
		assertThat(genuine.json().get("token_type").asString()).isEqualTo("DPoP");
	}

	@Test
	void tokenWhenNotAJwtThenInvalidDPoPProof() throws Exception {
		assertRefused("not-a-jwt");
	}

	@Test
	void tokenWhenClientRequiresDPoPAndNoProofThenInvalidDPoPProof() throws Exception {
		IssuedSecret strict = clients.create(new AuthClientDraft("DPoP strict " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of(), false, false, false, List.of(), false, true));
		assertThat(strict.client().requireDpop()).isTrue();
		var refused = http.post("/oauth/token").basic(strict.client().id(), strict.secret())
			.form("grant_type", "client_credentials").send();
		assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
		assertThat(refused.error()).isEqualTo("invalid_dpop_proof");
		assertThat(tokensIssued(strict)).isZero();

		var accepted = token(strict, proof(claims -> {
		}));
		assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
		assertThat(accepted.json().get("token_type").asString()).isEqualTo("DPoP");
	}

	@Test
	void tokenWhenPasswordGrantWithProofThenRefusedRatherThanUnbound() throws Exception {
		IssuedSecret desktop = clients.create(new AuthClientDraft("DPoP desktop " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD), List.of()));
		var response = http.post("/oauth/token").basic(desktop.client().id(), desktop.secret())
			.header("DPoP", proof(claims -> {
			}))
			.form("grant_type", "password", "username", "nobody", "password", "wrong").send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("invalid_request");
	}

	private void assertRefused(String proof) {
		long before = tokensIssued(client);
		var response = token(client, proof);
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("invalid_dpop_proof");
		assertThat(tokensIssued(client)).isEqualTo(before);
	}

	private OAuthHttp.Response token(IssuedSecret as, String proof) {
		return http.post("/oauth/token").basic(as.client().id(), as.secret()).header("DPoP", proof)
			.form("grant_type", "client_credentials").send();
	}

	private String proof(Consumer<JWTClaimsSet.Builder> change) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
			.jwk(key.toPublicJWK()).build(), claims(change));
		jwt.sign(new ECDSASigner(key));
		return jwt.serialize();
	}

	private JWTClaimsSet claims(Consumer<JWTClaimsSet.Builder> change) {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
			.claim("htm", "POST")
			.claim("htu", http.base() + "/oauth/token")
			.issueTime(new Date());
		change.accept(claims);
		return claims.build();
	}

	private static String base64Url(String json) {
		return java.util.Base64.getUrlEncoder().withoutPadding()
			.encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	private long tokensIssued(IssuedSecret to) {
		return jdbc.sql("""
				select count(*) from oauth_token t join oauth_authorization a on a.id = t.authorization_id
				where a.client_id = :client and t.token_type = 'access_token'
				""").param("client", to.client().id()).query(Long.class).single();
	}

}
