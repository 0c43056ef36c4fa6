package io.gatehouse.oauth;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.personaltokens.PersonalAccessTokenDraft;
import io.gatehouse.personaltokens.PersonalAccessTokenService;
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
 * Token introspection (RFC 7662) and revocation (RFC 7009) at the HTTP level: who may learn or end what, and the
 * exact answer to every mistake.
 */
@GatehouseHttpTest
class IntrospectionRevocationHttpIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	@Autowired
	PersonalAccessTokenService personalAccessTokens;

	OAuthHttp http;

	User user;

	IssuedSecret owner;

	IssuedSecret other;

	String accessToken;

	@BeforeEach
	void setUp() {
		http = new OAuthHttp(port, json);
		user = TestAccounts.user().username("intro-" + UUID.randomUUID()).create(jdbc);
		owner = passwordClient("Owner");
		other = passwordClient("Other");
		var tokens = http.post("/oauth/token").basic(owner.client().id(), owner.secret())
			.form("grant_type", "password", "username", user.username(), "password", TestAccounts.PASSWORD).send();
		assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
		accessToken = tokens.json().get("access_token").asString();
	}

	@Test
	void introspectWhenOwnTokenThenActiveWithClaims() {
		var response = introspect(owner, accessToken);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		var claims = response.json();
		assertThat(claims.get("active").asBoolean()).isTrue();
		assertThat(claims.get("client_id").asString()).isEqualTo(owner.client().id());
		assertThat(claims.get("sub").asString()).isEqualTo(String.valueOf(user.id()));
	}

	@Test
	void introspectWhenTokenOfAnotherClientThenOnlyInactive() {
		var response = introspect(other, accessToken);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"active\":false}");
	}

	@Test
	void introspectWhenCallerMayIntrospectOtherClientsThenActiveWithClaims() {
		IssuedSecret resourceServer = clients.create(new AuthClientDraft("Resource server " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of(), false, true));
		var response = introspect(resourceServer, accessToken);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		var claims = response.json();
		assertThat(claims.get("active").asBoolean()).isTrue();
		assertThat(claims.get("client_id").asString()).isEqualTo(owner.client().id());
		assertThat(claims.get("sub").asString()).isEqualTo(String.valueOf(user.id()));
	}

	@Test
	void introspectWhenPermissionToIntrospectOthersWithdrawnThenInactiveAtOnce() {
		IssuedSecret resourceServer = clients.create(new AuthClientDraft("Gateway " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of(), false, true));
		assertThat(introspect(resourceServer, accessToken).json().get("active").asBoolean()).isTrue();
		clients.update(resourceServer.client().id(), null, new AuthClientDraft(resourceServer.client().name(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of(), false, false));
		assertThat(introspect(resourceServer, accessToken).body()).isEqualTo("{\"active\":false}");
	}

	@Test
	void introspectWhenUnknownTokenThenInactive() {
		var response = introspect(owner, "not-a-token-" + UUID.randomUUID());
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"active\":false}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "*/*", "text/html" })
	void introspectWhenNoClientAuthenticationThen401InvalidClientWithBasicChallenge(String accept) {
		var request = http.post("/oauth/introspect").form("token", accessToken);
		if (!accept.isEmpty()) {
			request.accept(accept);
		}
		var response = request.send();
		assertThat(response.status()).as(response.toString()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).startsWith("Basic realm=");
		assertThat(response.error()).isEqualTo("invalid_client");
		assertThat(response.body()).doesNotContain("\"active\"");
	}

	@Test
	void introspectWhenClientSecretWrongThen401InvalidClient() {
		var response = http.post("/oauth/introspect").basic(owner.client().id(), "gtcs_wrong")
			.form("token", accessToken).send();
		assertThat(response.status()).as(response.toString()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).startsWith("Basic realm=");
		assertThat(response.error()).isEqualTo("invalid_client");
	}

	@Test
	void introspectWhenCredentialsOrTokenInQueryStringThenInvalidRequest() {
		var secretInQuery = http.post("/oauth/introspect")
			.query("client_id=" + owner.client().id() + "&client_secret=" + OAuthHttp.encode(owner.secret()))
			.form("token", accessToken).send();
		assertThat(secretInQuery.status()).as(secretInQuery.toString()).isEqualTo(400);
		assertThat(secretInQuery.error()).isEqualTo("invalid_request");

		var tokenInQuery = http.post("/oauth/introspect").basic(owner.client().id(), owner.secret())
			.query("token=" + OAuthHttp.encode(accessToken)).form().send();
		assertThat(tokenInQuery.status()).as(tokenInQuery.toString()).isEqualTo(400);
		assertThat(tokenInQuery.error()).isEqualTo("invalid_request");
		assertThat(tokenInQuery.body()).doesNotContain(accessToken).doesNotContain("\"active\"");
	}

	@Test
	void introspectWhenTokenMissingOrRepeatedThenInvalidRequest() {
		var missing = http.post("/oauth/introspect").basic(owner.client().id(), owner.secret()).form().send();
		assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
		assertThat(missing.error()).isEqualTo("invalid_request");
		var repeated = http.post("/oauth/introspect").basic(owner.client().id(), owner.secret())
			.form("token", accessToken, "token", accessToken).send();
		assertThat(repeated.status()).as(repeated.toString()).isEqualTo(400);
		assertThat(repeated.error()).isEqualTo("invalid_request");
	}

	@ParameterizedTest
	@ValueSource(strings = { "*/*", "", "application/json" })
	void introspectWhenBodyIsNotAFormThenInvalidRequest(String contentType) {
		var response = http.post("/oauth/introspect")
			.form("token", accessToken, "client_id", owner.client().id(), "client_secret", owner.secret())
			.contentType(contentType.isEmpty() ? null : contentType).send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("invalid_request");
	}

	@Test
	void revokeWhenOwnTokenThenInactive() {
		var response = revoke(owner, accessToken);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(introspect(owner, accessToken).body()).isEqualTo("{\"active\":false}");
	}

	@Test
	void revokeWhenTokenOfAnotherClientThenUnauthorizedClientAndTokenStillActive() {
		// RFC 7009 2.1: the server verifies that the token was issued to the client asking to revoke it
		var response = revoke(other, accessToken);
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("unauthorized_client");
		assertThat(introspect(owner, accessToken).json().get("active").asBoolean()).isTrue();
	}

	@Test
	void revokeWhenTokenUnknownThen200() {
		// RFC 7009 2.2: an invalid token is not an error; there is nothing left to revoke
		var response = revoke(owner, "not-a-token-" + UUID.randomUUID());
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
	}

	@Test
	void revokeWhenPersonalAccessTokenThenUnsupportedTokenTypeAndItStillWorks() {
		String pat = personalAccessTokens.create(user.id(),
				new PersonalAccessTokenDraft("script", List.of("api"), null, 30)).value();
		var response = revoke(owner, pat);
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("unsupported_token_type");
		assertThat(personalAccessTokens.authenticate(pat)).isPresent();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "*/*", "text/html" })
	void revokeWhenNoClientAuthenticationThen401InvalidClientAndTokenStillActive(String accept) {
		var request = http.post("/oauth/revoke").form("token", accessToken);
		if (!accept.isEmpty()) {
			request.accept(accept);
		}
		var response = request.send();
		assertThat(response.status()).as(response.toString()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).startsWith("Basic realm=");
		assertThat(response.error()).isEqualTo("invalid_client");
		assertThat(introspect(owner, accessToken).json().get("active").asBoolean()).isTrue();
	}

	@Test
	void revokeWhenTokenMissingThenInvalidRequest() {
		var response = http.post("/oauth/revoke").basic(owner.client().id(), owner.secret()).form().send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("invalid_request");
	}

	@Test
	void revokeWhenTokenInQueryStringThenInvalidRequestAndTokenStillActive() {
		var response = http.post("/oauth/revoke").basic(owner.client().id(), owner.secret())
			.query("token=" + OAuthHttp.encode(accessToken)).form().send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("invalid_request");
		assertThat(introspect(owner, accessToken).json().get("active").asBoolean()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "*/*", "" })
	void revokeWhenBodyIsNotAFormThenInvalidRequestAndTokenStillActive(String contentType) {
		var response = http.post("/oauth/revoke").basic(owner.client().id(), owner.secret())
			.form("token", accessToken).contentType(contentType.isEmpty() ? null : contentType).send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("invalid_request");
		assertThat(introspect(owner, accessToken).json().get("active").asBoolean()).isTrue();
	}

	private IssuedSecret passwordClient(String name) {
		return clients.create(new AuthClientDraft(name + " " + UUID.randomUUID(), Set.of(GrantType.PASSWORD),
				List.of()));
	}

	private OAuthHttp.Response introspect(IssuedSecret caller, String token) {
		return http.post("/oauth/introspect").basic(caller.client().id(), caller.secret()).form("token", token).send();
	}

	private OAuthHttp.Response revoke(IssuedSecret caller, String token) {
		return http.post("/oauth/revoke").basic(caller.client().id(), caller.secret()).form("token", token).send();
	}

}
