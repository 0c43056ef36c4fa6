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
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.signin.Permissions;
import io.gatehouse.support.GatehouseIntegrationTest;
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
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** A client acting as itself: its service account is a user record that holds permissions like any user's. */
@GatehouseIntegrationTest
class ClientCredentialsIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Autowired
	AuthClientService clients;

	@Test
	void tokenWhenClientCredentialsThenActsAsServiceAccountWithItsPermissions() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("Nightly sync " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
		Long serviceAccount = client.client().serviceAccountId();
		assertThat(serviceAccount).isNotNull();
		assertThat(jdbc.sql("select username from account where id = :id").param("id", serviceAccount)
			.query(String.class).single()).isEqualTo("svc-" + client.client().id());

		JsonNode tokens = tokens(token(client).andExpect(status().isOk()));
		assertThat(tokens.get("scope").asString()).isEqualTo("api");
		assertThat(tokens.has("refresh_token")).isFalse();
		SignedJWT jwt = SignedJWT.parse(tokens.get("access_token").asString());
		assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(String.valueOf(serviceAccount));
		String bearer = "Bearer " + tokens.get("access_token").asString();

		mvc.perform(get("/api/1.0/auth-clients").header(HttpHeaders.AUTHORIZATION, bearer))
			.andExpect(status().isForbidden());
		jdbc.sql("insert into account_permission (account_id, permission_name) values (:id, :p)")
			.param("id", serviceAccount).param("p", Permissions.VIEW_AUTH_CLIENTS).update();
		mvc.perform(get("/api/1.0/auth-clients").header(HttpHeaders.AUTHORIZATION, bearer))
			.andExpect(status().isOk());
	}

	@Test
	void loginWhenServiceAccountThenRefused() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("Batch " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
		mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "password").param("username", "svc-" + client.client().id()).param("password", "x"))
			.andExpect(status().isBadRequest());
		assertThat(mvc.perform(post("/login").param("username", "svc-" + client.client().id()).param("password", "x")
			.with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf()))
			.andReturn().getResponse().getRedirectedUrl()).endsWith("/login?error");
	}

	@Test
	void tokenWhenClientLacksClientCredentialsThenUnauthorizedClient() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("Password only " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD), List.of()));
		token(client).andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").value("unauthorized_client"));
	}

	@Test
	void disableClientCredentialsThenTokensRevokedAndServiceAccountDeactivated() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("Reporter " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS, GrantType.PASSWORD), List.of()));
		jdbc.sql("insert into account_permission (account_id, permission_name) values (:id, :p)")
			.param("id", client.client().serviceAccountId()).param("p", Permissions.VIEW_AUTH_CLIENTS).update();
		String bearer = "Bearer " + tokens(token(client).andExpect(status().isOk())).get("access_token").asString();
		assertThat(clients.liveTokens(client.client().id())).containsEntry(GrantType.CLIENT_CREDENTIALS, 1L);

		clients.update(client.client().id(), null, new AuthClientDraft(client.client().name(),
				Set.of(GrantType.PASSWORD),
				List.of()));

		mvc.perform(get("/api/1.0/auth-clients").header(HttpHeaders.AUTHORIZATION, bearer))
			.andExpect(status().isUnauthorized());
		assertThat(jdbc.sql("select active from account where id = :id").param("id", client.client().serviceAccountId())
			.query(Boolean.class).single()).isFalse();
		assertThat(jdbc.sql("select changes from audit_record where subject_id = :id and action = 'updated'")
			.param("id", client.client().id()).query(String.class).single()).contains("revoked_tokens", "\"to\":\"1\"");
	}

	@Test
	void tokenWhenNoScopeAndAMalformedDPoPProofThenInvalidDpopProof() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("DPoP " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
		mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.header("DPoP", "not-a-proof")
			.param("grant_type", "client_credentials"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("invalid_dpop_proof"));
	}

	@Test
	void tokenWhenNoScopeAndAValidDPoPProofThenTheApiScope() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("DPoP " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
		ECKey key = new ECKeyGenerator(Curve.P_256).generate();
		String proof = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256)
			.createDPoPJWT("POST", URI.create("http://localhost/oauth/token")).serialize();

		JsonNode tokens = tokens(mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.header("DPoP", proof)
			.param("grant_type", "client_credentials"))
			.andExpect(status().isOk()));

		assertThat(tokens.get("scope").asString()).isEqualTo("api");
	}

	@Test
	void tokenWhenScopeSentTwiceThenInvalidRequest() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("Twice " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
		mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "client_credentials").param("scope", "api").param("scope", "api"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("invalid_request"));
	}

	private ResultActions token(IssuedSecret client) throws Exception {
		return mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "client_credentials"));
	}

	private JsonNode tokens(ResultActions result) throws Exception {
		return json.readTree(result.andReturn().getResponse().getContentAsString());
	}

}
