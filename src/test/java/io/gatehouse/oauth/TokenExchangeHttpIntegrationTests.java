package io.gatehouse.oauth;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.ClientPolicy;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.signin.Permissions;
import io.gatehouse.support.GatehouseHttpTest;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 8693 token exchange over HTTP: delegation and impersonation with the claims of the issued JWT, every error of
 * RFC 8693 2.2.2 and RFC 6749 5.2 it can give, and revocation with the subject token's grant.
 */
@GatehouseHttpTest
class TokenExchangeHttpIntegrationTests {

	static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";

	static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

	@LocalServerPort
	int port;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	OAuthHttp http;

	/** Another client, the audience the exchanging client may ask for. */
	IssuedSecret backend;

	/** Gets users' tokens with the password grant and exchanges them. */
	IssuedSecret exchanger;

	User user;

	@BeforeEach
	void setUp() {
		http = new OAuthHttp(port, json);
		backend = clients.create(new AuthClientDraft("Backend " + UUID.randomUUID(), Set.of(GrantType.PASSWORD),
				List.of()));
		exchanger = clients.create(exchangeClient("Gateway", GrantType.PASSWORD, GrantType.TOKEN_EXCHANGE));
		user = TestAccounts.user().username("exchange-" + UUID.randomUUID()).password(TestAccounts.PASSWORD)
			.permissions(Permissions.VIEW_AUTH_CLIENTS).create(jdbc);
	}

	@Test
	void exchangeWhenNoActorThenImpersonationTokenWithTheSubjectsSubAndTheExchangingClient() throws Exception {
		String subject = passwordToken(exchanger);
		JWTClaimsSet subjectClaims = SignedJWT.parse(subject).getJWTClaimsSet();

		OAuthHttp.Response response = exchange(exchanger, "subject_token", subject, "subject_token_type", ACCESS_TOKEN,
				"audience", backend.client().id());

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode body = response.json();
		assertThat(body.get("issued_token_type").asString()).isEqualTo(ACCESS_TOKEN);
		assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
		assertThat(body.has("refresh_token")).isFalse();
		JWTClaimsSet claims = SignedJWT.parse(body.get("access_token").asString()).getJWTClaimsSet();
		assertThat(claims.getSubject()).isEqualTo(String.valueOf(user.id()));
		assertThat(claims.getStringClaim("client_id")).isEqualTo(exchanger.client().id());
		assertThat(claims.getAudience()).containsExactly("gatehouse-api", backend.client().id());
		assertThat(claims.getStringClaim("scope")).isEqualTo("api");
		assertThat(claims.getClaim("act")).isNull();
		assertThat(claims.getExpirationTime()).isBeforeOrEqualTo(subjectClaims.getExpirationTime());
		// the new token works on the REST API as the user
		assertThat(http.request("GET", "/api/1.0/auth-clients")
			.header("Authorization", "Bearer " + body.get("access_token").asString()).send().status()).isEqualTo(200);
		assertThat(jdbc.sql("select changes from audit_record where subject_id = :id and action = 'exchanged'")
			.param("id", exchanger.client().id()).query(String.class).single())
			.contains("impersonation", user.username(), backend.client().id())
			.doesNotContain(subject);
	}

	@Test
	void exchangeWhenActorTokenThenDelegationWithActAndNestedActOnTheNextExchange() throws Exception {
		String subject = passwordToken(exchanger);
		User service = TestAccounts.user().username("actor-" + UUID.randomUUID()).password(TestAccounts.PASSWORD)
			.create(jdbc);
		String actor = passwordToken(exchanger, service.username());

		JsonNode first = exchange(exchanger, "subject_token", subject, "subject_token_type", ACCESS_TOKEN,
				"actor_token", actor, "actor_token_type", ACCESS_TOKEN).json();
		JWTClaimsSet claims = SignedJWT.parse(first.get("access_token").asString()).getJWTClaimsSet();
		assertThat(claims.getSubject()).isEqualTo(String.valueOf(user.id()));
		assertThat(claims.getJSONObjectClaim("act")).containsEntry("sub", String.valueOf(service.id()))
			.containsEntry("client_id", exchanger.client().id());

		// RFC 8693 4.1: exchanging the delegated token again nests the earlier actor
		JsonNode second = exchange(exchanger, "subject_token", first.get("access_token").asString(),
				"subject_token_type", ACCESS_TOKEN, "actor_token", actor, "actor_token_type", ACCESS_TOKEN).json();
		Map<String, Object> act = SignedJWT.parse(second.get("access_token").asString()).getJWTClaimsSet()
			.getJSONObjectClaim("act");
		assertThat(act).containsEntry("sub", String.valueOf(service.id()));
		assertThat(act.get("act")).isInstanceOf(Map.class);
		assertThat(act.get("act")).asString().contains(String.valueOf(service.id()));
	}

	@Test
	void exchangeWhenClientWithoutTheGrantThenUnauthorizedClient() throws Exception {
		String subject = passwordToken(backend);
		assertError(exchange(backend, "subject_token", subject, "subject_token_type", ACCESS_TOKEN), 400,
				"unauthorized_client");
	}

	@Test
	void exchangeWhenSubjectTokenUnknownRevokedOrOfAnotherClientThenInvalidGrant() throws Exception {
		assertError(exchange(exchanger, "subject_token", "not-a-token", "subject_token_type", ACCESS_TOKEN), 400,
				"invalid_grant");
		// a token of another client, not addressed to this one
		assertError(exchange(exchanger, "subject_token", passwordToken(backend), "subject_token_type", ACCESS_TOKEN),
				400, "invalid_grant");
		String revoked = passwordToken(exchanger);
		assertThat(http.post("/oauth/revoke").basic(exchanger.client().id(), exchanger.secret())
			.form("token", revoked).send().status()).isEqualTo(200);
		assertError(exchange(exchanger, "subject_token", revoked, "subject_token_type", ACCESS_TOKEN), 400,
				"invalid_grant");
	}

	@Test
	void exchangeWhenSubjectTokenExpiredThenInvalidGrant() throws Exception {
		String subject = passwordToken(exchanger);
		// the store's record of the token says it has expired: the token store no longer honours it
		jdbc.sql("update oauth_token set invalidated_at = :now where token_hash = :hash")
			.param("now", java.time.OffsetDateTime.now()).param("hash", io.gatehouse.secrets.Secrets.sha256(subject))
			.update();
		assertError(exchange(exchanger, "subject_token", subject, "subject_token_type", ACCESS_TOKEN), 400,
				"invalid_grant");
	}

	@Test
	void exchangeWhenTokenTypesOtherThanAccessTokenThenInvalidRequest() throws Exception {
		String subject = passwordToken(exchanger);
		assertError(exchange(exchanger, "subject_token", subject, "subject_token_type",
				"urn:ietf:params:oauth:token-type:id_token"), 400, "invalid_request");
		assertError(exchange(exchanger, "subject_token", subject, "subject_token_type",
				"urn:ietf:params:oauth:token-type:jwt"), 400, "invalid_request");
		assertError(exchange(exchanger, "subject_token", subject, "subject_token_type", ACCESS_TOKEN,
				"requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token"), 400, "invalid_request");
		assertError(exchange(exchanger, "subject_token", subject, "subject_token_type", ACCESS_TOKEN,
				"actor_token", subject), 400, "invalid_request");
		assertError(exchange(exchanger, "subject_token_type", ACCESS_TOKEN), 400, "invalid_request");
		assertError(exchange(exchanger, "subject_token", subject), 400, "invalid_request");
	}

	@Test
	void exchangeWhenScopeWiderThanTheSubjectTokensThenInvalidScope() throws Exception {
		String subject = passwordToken(exchanger);
		assertError(exchange(exchanger, "subject_token", subject, "subject_token_type", ACCESS_TOKEN, "scope",
				"api openid"), 400, "invalid_scope");
	}

	@Test
	void exchangeWhenAudienceOrResourceNotAllowedThenInvalidTarget() throws Exception {
		String subject = passwordToken(exchanger);
		IssuedSecret stranger = clients.create(new AuthClientDraft("Stranger " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD), List.of()));
		assertError(exchange(exchanger, "subject_token", subject, "subject_token_type", ACCESS_TOKEN, "audience",
				stranger.client().id()), 400, "invalid_target");
		assertError(exchange(exchanger, "subject_token", subject, "subject_token_type", ACCESS_TOKEN, "resource",
				"https://elsewhere.example/api"), 400, "invalid_target");
	}

	@Test
	void revokeSubjectTokensGrantThenExchangedTokenInactiveAndRefusedByTheApi() throws Exception {
		String subject = passwordToken(exchanger);
		String exchanged = exchange(exchanger, "subject_token", subject, "subject_token_type", ACCESS_TOKEN).json()
			.get("access_token").asString();
		String bearer = "Bearer " + exchanged;
		assertThat(http.request("GET", "/api/1.0/auth-clients").header("Authorization", bearer).send().status())
			.isEqualTo(200);
		assertThat(introspect(exchanged).get("active").asBoolean()).isTrue();

		assertThat(http.post("/oauth/revoke").basic(exchanger.client().id(), exchanger.secret())
			.form("token", subject).send().status()).isEqualTo(200);

		assertThat(introspect(exchanged).get("active").asBoolean()).isFalse();
		assertThat(http.request("GET", "/api/1.0/auth-clients").header("Authorization", bearer).send().status())
			.isEqualTo(401);
	}

	@Test
	void deleteSubjectTokensClientThenTokenExchangedFromItByAnotherClientRefused() throws Exception {
		IssuedSecret gateway = clients.create(new AuthClientDraft("Gateway2 " + UUID.randomUUID(),
				Set.of(GrantType.TOKEN_EXCHANGE), List.of()));
		IssuedSecret frontend = clients.create(exchangeClient("Frontend", List.of(gateway.client().id()),
				GrantType.PASSWORD, GrantType.TOKEN_EXCHANGE));
		// the frontend addresses the user's token to the gateway, which exchanges it in turn
		String forGateway = exchange(frontend, "subject_token", passwordToken(frontend), "subject_token_type",
				ACCESS_TOKEN, "audience", gateway.client().id()).json().get("access_token").asString();
		OAuthHttp.Response response = exchange(gateway, "subject_token", forGateway, "subject_token_type",
				ACCESS_TOKEN);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		String exchanged = response.json().get("access_token").asString();
		assertThat(SignedJWT.parse(exchanged).getJWTClaimsSet().getStringClaim("client_id"))
			.isEqualTo(gateway.client().id());
		String bearer = "Bearer " + exchanged;
		assertThat(http.request("GET", "/api/1.0/auth-clients").header("Authorization", bearer).send().status())
			.isEqualTo(200);
		// the gateway cannot reach further than its own audiences: none
		assertError(exchange(gateway, "subject_token", forGateway, "subject_token_type", ACCESS_TOKEN, "audience",
				backend.client().id()), 400, "invalid_target");

		clients.delete(frontend.client().id());

		assertThat(http.request("GET", "/api/1.0/auth-clients").header("Authorization", bearer).send().status())
			.isEqualTo(401);
		assertThat(http.post("/oauth/introspect").basic(gateway.client().id(), gateway.secret())
			.form("token", exchanged).send().json().get("active").asBoolean()).isFalse();
	}

	@Test
	void exchangeWhenDPoPProofThenBoundTokenAndWhenForgedOrReplayedThenInvalidDPoPProof() throws Exception {
		String subject = passwordToken(exchanger);
		ECKey key = new ECKeyGenerator(Curve.P_256).generate();
		String jti = UUID.randomUUID().toString();
		// a copy of the proof signed by another key: refused, and its jti not used up
		String forged = proof(key, jti, new ECKeyGenerator(Curve.P_256).generate());
		assertError(exchangeWithProof(forged, subject), 400, "invalid_dpop_proof");

		String proof = proof(key, jti, key);
		OAuthHttp.Response bound = exchangeWithProof(proof, subject);

		assertThat(bound.status()).as(bound.toString()).isEqualTo(200);
		assertThat(bound.json().get("token_type").asString()).isEqualTo("DPoP");
		JWTClaimsSet claims = SignedJWT.parse(bound.json().get("access_token").asString()).getJWTClaimsSet();
		assertThat(claims.getJSONObjectClaim("cnf")).containsEntry("jkt", key.computeThumbprint().toString());
		// RFC 9449 11.1: the same proof again is a replay
		assertError(exchangeWithProof(proof, subject), 400, "invalid_dpop_proof");
	}

	private OAuthHttp.Response exchangeWithProof(String proof, String subject) {
		return http.post("/oauth/token").basic(exchanger.client().id(), exchanger.secret()).header("DPoP", proof)
			.form("grant_type", GRANT, "subject_token", subject, "subject_token_type", ACCESS_TOKEN).send();
	}

	/** A DPoP proof for the token endpoint naming {@code key}, signed with {@code signer}. */
	private String proof(ECKey key, String jti, ECKey signer) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
			.jwk(key.toPublicJWK()).build(), new JWTClaimsSet.Builder().jwtID(jti).claim("htm", "POST")
			.claim("htu", http.base() + "/oauth/token").issueTime(new Date()).build());
		jwt.sign(new ECDSASigner(signer));
		return jwt.serialize();
	}

	private AuthClientDraft exchangeClient(String name, GrantType... grants) {
		return exchangeClient(name, List.of(backend.client().id()), grants);
	}

	private static AuthClientDraft exchangeClient(String name, List<String> audiences, GrantType... grants) {
		return new AuthClientDraft(name + " " + UUID.randomUUID(), Set.of(grants), List.of(), false, false, false,
				List.of(), false, new ClientPolicy(null, null, null, false, null, audiences));
	}

	private String passwordToken(IssuedSecret client) {
		return passwordToken(client, user.username());
	}

	private String passwordToken(IssuedSecret client, String username) {
		OAuthHttp.Response response = http.post("/oauth/token").basic(client.client().id(), client.secret())
			.form("grant_type", "password", "username", username, "password", TestAccounts.PASSWORD).send();
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json().get("access_token").asString();
	}

	private OAuthHttp.Response exchange(IssuedSecret client, String... parameters) {
		String[] form = new String[parameters.length + 2];
		form[0] = "grant_type";
		form[1] = GRANT;
		System.arraycopy(parameters, 0, form, 2, parameters.length);
		return http.post("/oauth/token").basic(client.client().id(), client.secret()).form(form).send();
	}

	private JsonNode introspect(String token) {
		return http.post("/oauth/introspect").basic(exchanger.client().id(), exchanger.secret()).form("token", token)
			.send().json();
	}

	private static void assertError(OAuthHttp.Response response, int status, String error) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.error()).as(response.toString()).isEqualTo(error);
		assertThat(response.body()).doesNotContain("\"access_token\"");
	}

}
