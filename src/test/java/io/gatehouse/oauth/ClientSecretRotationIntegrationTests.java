package io.gatehouse.oauth;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
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
import static io.gatehouse.support.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A client holds several secrets, so a secret rotates without downtime: the token endpoint accepts each active one,
 * an expired one stops at its expiry (the cached client carries it), a revoked one at once (the change signal drops
 * the cached client).
 */
@GatehouseIntegrationTest
class ClientSecretRotationIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Autowired
	AuthClientService clients;

	IssuedSecret client;

	User admin;

	User user;

	JsonNode lastAdded;

	@BeforeEach
	void setUp() {
		client = clients.create(new AuthClientDraft("Rotating " + UUID.randomUUID(), Set.of(GrantType.PASSWORD),
				List.of()));
		admin = TestAccounts.user().username("admin-" + UUID.randomUUID()).superAdmin().create(jdbc);
		user = TestAccounts.user().username("u-" + UUID.randomUUID()).password("user-password").create(jdbc);
	}

	@Test
	void addSecretKeepingCurrentThenBothSecretsGetTokens() throws Exception {
		addSecret(3600).andExpect(status().isCreated()).andExpect(jsonPath("$.secret").isString());
		JsonNode added = lastAdded;
		token(client.secret()).andExpect(status().isOk());
		token(added.get("secret").asString()).andExpect(status().isOk());
		assertThat(jdbc.sql("select count(*) from auth_client_secret where client_id = :id and revoked_at is null")
			.param("id", id()).query(Long.class).single()).isEqualTo(2);
	}

	@Test
	void listSecretsThenBothShownWithoutValuesAndExpiryOfTheKeptOne() throws Exception {
		String secret = addSecret(3600).andExpect(status().isCreated()).andReturn().getResponse()
			.getContentAsString();
		String newId = json.readTree(secret).get("id").asString();
		String listing = mvc.perform(get("/api/1.0/auth-clients/{id}/secrets", id()).with(as(admin)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data.length()").value(2))
			.andExpect(jsonPath("$.data[0].id").value(newId))
			.andExpect(jsonPath("$.data[0].expires_at").isEmpty())
			.andExpect(jsonPath("$.data[1].expires_at").isString())
			.andExpect(jsonPath("$.data[1].last_used_at").isEmpty())
			.andReturn().getResponse().getContentAsString();
		assertThat(listing).doesNotContain(client.secret()).doesNotContain(json.readTree(secret).get("secret")
			.asString()).doesNotContain("secret_hash");
	}

	@Test
	void secretExpiresWhenItsTimeComesThenRefusedAlthoughCached() throws Exception {
		token(client.secret()).andExpect(status().isOk());
		addSecret(1).andExpect(status().isCreated());
		token(client.secret()).andExpect(status().isOk());
		Thread.sleep(1100);
		token(client.secret()).andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.error").value("invalid_client"));
		token(lastAdded.get("secret").asString()).andExpect(status().isOk());
	}

	@Test
	void revokeSecretThenItIsRefusedAtOnceAndTheOtherKeepsWorking() throws Exception {
		addSecret(3600).andExpect(status().isCreated());
		token(client.secret()).andExpect(status().isOk());
		String oldId = jdbc.sql("select id from auth_client_secret where client_id = :id and expires_at is not null")
			.param("id", id()).query(String.class).single();
		mvc.perform(delete("/api/1.0/auth-clients/{id}/secrets/{secret}", id(), oldId).with(as(admin)).with(csrf()))
			.andExpect(status().isNoContent());
		token(client.secret()).andExpect(status().isUnauthorized());
		token(lastAdded.get("secret").asString()).andExpect(status().isOk());
		String audit = jdbc.sql("select changes from audit_record where subject_id = :id and action = 'secret_revoked'")
			.param("id", id()).query(String.class).single();
		assertThat(audit).contains(oldId).doesNotContain(client.secret());
	}

	@Test
	void addSecretWithZeroKeepThenCurrentSecretRevokedNow() throws Exception {
		addSecret(0).andExpect(status().isCreated());
		token(client.secret()).andExpect(status().isUnauthorized());
		token(lastAdded.get("secret").asString()).andExpect(status().isOk());
		String audit = jdbc.sql("select changes from audit_record where subject_id = :id and action = 'secret_added'")
			.param("id", id()).query(String.class).single();
		assertThat(audit).contains("revoked_secrets").doesNotContain(lastAdded.get("secret").asString());
	}

	@Test
	void addSecretWhenKeepOutOfRangeOrMissingThen422AndNothingWritten() throws Exception {
		for (String body : List.of("{\"keep_current_for\": 2592001}", "{\"keep_current_for\": -1}", "{}")) {
			mvc.perform(post("/api/1.0/auth-clients/{id}/secrets", id()).with(as(admin)).with(csrf())
				.contentType(MediaType.APPLICATION_JSON).content(body))
				.andExpect(status().isUnprocessableContent());
		}
		assertThat(jdbc.sql("select count(*) from auth_client_secret where client_id = :id")
			.param("id", id()).query(Long.class).single()).isEqualTo(1);
		token(client.secret()).andExpect(status().isOk());
	}

	@Test
	void revokeSecretWhenUnknownThen404() throws Exception {
		mvc.perform(delete("/api/1.0/auth-clients/{id}/secrets/{secret}", id(), "nope").with(as(admin)).with(csrf()))
			.andExpect(status().isNotFound());
	}

	@Test
	void useSecretTwiceWithinAMinuteThenLastUsedWrittenOnce() throws Exception {
		token(client.secret()).andExpect(status().isOk());
		OffsetDateTime first = jdbc.sql("select last_used_at from auth_client_secret where client_id = :id")
			.param("id", id()).query(OffsetDateTime.class).single();
		Thread.sleep(20);
		token(client.secret()).andExpect(status().isOk());
		OffsetDateTime second = jdbc.sql("select last_used_at from auth_client_secret where client_id = :id")
			.param("id", id()).query(OffsetDateTime.class).single();
		assertThat(first).isNotNull().isEqualTo(second);
	}

	@Test
	void oldSecretEndpointThenAddsOneAndRevokesTheRest() throws Exception {
		addSecret(3600).andExpect(status().isCreated());
		String body = mvc.perform(post("/api/1.0/auth-clients/{id}/secret", id()).with(as(admin)).with(csrf()))
			.andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
		token(client.secret()).andExpect(status().isUnauthorized());
		token(lastAdded.get("secret").asString()).andExpect(status().isUnauthorized());
		token(json.readTree(body).get("secret").asString()).andExpect(status().isOk());
	}

	private ResultActions addSecret(long keepSeconds) throws Exception {
		ResultActions result = mvc.perform(post("/api/1.0/auth-clients/{id}/secrets", id()).with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content("{\"keep_current_for\": " + keepSeconds + "}"));
		lastAdded = json.readTree(result.andReturn().getResponse().getContentAsString());
		return result;
	}

	private ResultActions token(String secret) throws Exception {
		return mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(id(), secret))
			.param("grant_type", "password").param("username", user.username()).param("password", "user-password"));
	}

	private String id() {
		return client.client().id();
	}

}
