package io.gatehouse.oauth;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.signin.LoginThrottle;
import io.gatehouse.signin.Permissions;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static io.gatehouse.support.OAuthRequests.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@GatehouseIntegrationTest
class PasswordGrantIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Autowired
	AuthClientService clients;

	IssuedSecret client;

	User viewer;

	String password = "correct horse battery";

	@BeforeEach
	void setUp() {
		client = clients.create(new AuthClientDraft("Legacy desktop " + UUID.randomUUID(), Set.of(GrantType.PASSWORD),
				List.of()));
		viewer = TestAccounts.user().username("viewer-" + UUID.randomUUID()).password(password)
			.permissions(Permissions.VIEW_AUTH_CLIENTS).create(jdbc);
	}

	@Test
	void tokenWhenCredentialsRightThenRfc9068AccessTokenThatActsAsTheUser() throws Exception {
		JsonNode tokens = tokens(passwordGrant(viewer.username(), password).andExpect(status().isOk())
			.andExpect(header().string(HttpHeaders.CACHE_CONTROL, containsString("no-store"))));
		assertThat(tokens.get("token_type").asString()).isEqualTo("Bearer");
		assertThat(tokens.get("scope").asString()).isEqualTo("api");
		assertThat(tokens.get("expires_in").asLong()).isBetween(590L, 600L);
		assertThat(tokens.get("refresh_token").asString()).isNotBlank();

		SignedJWT jwt = SignedJWT.parse(tokens.get("access_token").asString());
		assertThat(jwt.getHeader().getType().toString()).isEqualTo("at+jwt");
		assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(String.valueOf(viewer.id()));
		assertThat(jwt.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo(client.client().id());
		assertThat(jwt.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("api");
		assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("gatehouse-api");
		assertThat(jwt.getJWTClaimsSet().getJWTID()).isNotBlank();
		assertThat(jwt.getJWTClaimsSet().getIssuer()).isNotBlank();

		String bearer = "Bearer " + tokens.get("access_token").asString();
		mvc.perform(get("/api/1.0/auth-clients").header(HttpHeaders.AUTHORIZATION, bearer)).andExpect(status().isOk());
		mvc.perform(get("/api/1.0/users").header(HttpHeaders.AUTHORIZATION, bearer)).andExpect(status().isForbidden());
	}

	@Test
	void tokenWhenPasswordOrUsernameWrongThenSameInvalidGrant() throws Exception {
		String wrongPassword = passwordGrant(viewer.username(), "wrong password").andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("invalid_grant")).andReturn().getResponse().getContentAsString();
		String unknownUser = passwordGrant("nobody-" + UUID.randomUUID(), password).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("invalid_grant")).andReturn().getResponse().getContentAsString();
		assertThat(wrongPassword).isEqualTo(unknownUser);
	}

	@Test
	void tokenWhenRepeatedFailuresThenThrottledEvenWithRightPassword() throws Exception {
		for (int i = 0; i < LoginThrottle.FREE_FAILURES + 1; i++) {
			passwordGrant(viewer.username(), "guess " + i).andExpect(jsonPath("$.error").value("invalid_grant"));
		}
		passwordGrant(viewer.username(), password).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("invalid_grant"));
	}

	@Test
	void tokenWhenClientSecretWrongThenInvalidClient401() throws Exception {
		mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), "gtcs_wrong"))
			.param("grant_type", "password").param("username", viewer.username()).param("password", password))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.error").value("invalid_client"));
	}

	@Test
	void tokenWhenClientLacksPasswordGrantThenUnauthorizedClient() throws Exception {
		IssuedSecret codeOnly = clients.create(new AuthClientDraft("Web " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of("https://app.example.com/cb")));
		mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(codeOnly.client().id(), codeOnly.secret()))
			.param("grant_type", "password").param("username", viewer.username()).param("password", password))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("unauthorized_client"));
	}

	@Test
	void tokenWhenScopeNotAllowedThenInvalidScope() throws Exception {
		mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "password").param("username", viewer.username()).param("password", password)
			.param("scope", "api admin"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("invalid_scope"));
	}

	@Test
	void refreshThenRotatedAndReuseOfOldRefreshTokenRevokesTheGrant() throws Exception {
		JsonNode first = tokens(passwordGrant(viewer.username(), password).andExpect(status().isOk()));
		JsonNode second = tokens(refresh(first.get("refresh_token").asString()).andExpect(status().isOk()));
		assertThat(second.get("refresh_token").asString()).isNotEqualTo(first.get("refresh_token").asString());
		mvc.perform(get("/api/1.0/auth-clients").header(HttpHeaders.AUTHORIZATION,
				"Bearer " + second.get("access_token").asString())).andExpect(status().isOk());

		refresh(first.get("refresh_token").asString()).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("invalid_grant"));
		refresh(second.get("refresh_token").asString()).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("invalid_grant"));
		mvc.perform(get("/api/1.0/auth-clients").header(HttpHeaders.AUTHORIZATION,
				"Bearer " + second.get("access_token").asString()))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, containsString("invalid_token")));
	}

	@Test
	void revokeThenAccessTokenStopsWorkingAtOnceAndIntrospectionSaysInactive() throws Exception {
		JsonNode tokens = tokens(passwordGrant(viewer.username(), password).andExpect(status().isOk()));
		String access = tokens.get("access_token").asString();
		mvc.perform(post("/oauth/introspect").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("token", access))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.active").value(true))
			.andExpect(jsonPath("$.client_id").value(client.client().id()))
			.andExpect(jsonPath("$.sub").value(String.valueOf(viewer.id())));

		mvc.perform(post("/oauth/revoke").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("token", access)).andExpect(status().isOk());

		mvc.perform(get("/api/1.0/auth-clients").header(HttpHeaders.AUTHORIZATION, "Bearer " + access))
			.andExpect(status().isUnauthorized());
		mvc.perform(post("/oauth/introspect").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("token", access))
			.andExpect(jsonPath("$.active").value(false));
	}

	@Test
	void tokensWhenStoredThenOnlyHashes() throws Exception {
		JsonNode tokens = tokens(passwordGrant(viewer.username(), password).andExpect(status().isOk()));
		String everything = jdbc.sql("select token_hash || ' ' || metadata from oauth_token").query(String.class).list()
			.toString() + jdbc.sql("select attributes from oauth_authorization").query(String.class).list();
		assertThat(everything).doesNotContain(tokens.get("access_token").asString())
			.doesNotContain(tokens.get("refresh_token").asString())
			.doesNotContain(password);
	}

	@Test
	void apiWhenBearerTokenGarbledOrMissingThen401WithChallenge() throws Exception {
		mvc.perform(get("/api/1.0/auth-clients").header(HttpHeaders.AUTHORIZATION, "Bearer not-a-token"))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, containsString("error=\"invalid_token\"")));
		mvc.perform(get("/api/1.0/auth-clients"))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer"));
	}

	private ResultActions passwordGrant(String username, String secretPassword) throws Exception {
		return mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "password").param("username", username).param("password", secretPassword));
	}

	private ResultActions refresh(String refreshToken) throws Exception {
		return mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "refresh_token").param("refresh_token", refreshToken));
	}

	private JsonNode tokens(ResultActions result) throws Exception {
		return json.readTree(result.andReturn().getResponse().getContentAsString());
	}

}
