package io.gatehouse.oauth;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.signin.Permissions;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import static io.gatehouse.support.OAuthRequests.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Editing a client has consequences for what it issued, and the edit form says so before saving. */
@GatehouseIntegrationTest
class ClientEditConsequencesIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Autowired
	AuthClientService clients;

	IssuedSecret client;

	User user;

	@BeforeEach
	void setUp() {
		client = clients.create(new AuthClientDraft("Desktop " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD, GrantType.PERSONAL_ACCESS), List.of()));
		user = TestAccounts.user().username("u-" + UUID.randomUUID()).password("user-password")
			.permissions(Permissions.VIEW_AUTH_CLIENTS).create(jdbc);
	}

	@Test
	void editFormWhenPasswordGrantHasLiveTokensThenSaysWhatUncheckingRevokes() throws Exception {
		for (int i = 0; i < 3; i++) {
			passwordToken();
		}
		User admin = TestAccounts.user().username("admin-" + UUID.randomUUID()).superAdmin().create(jdbc);
		Document page = Jsoup.parse(mvc.perform(get("/admin/auth-clients/{id}/edit", client.client().id())
			.with(TestAccounts.as(admin))).andReturn().getResponse().getContentAsString());
		// three access tokens and three refresh tokens
		assertThat(page.select("#revoke-PASSWORD").text())
			.isEqualTo("Saving will revoke 6 active tokens issued through the password grant.");
		assertThat(page.select("#revoke-PASSWORD").hasAttr("hidden")).isTrue();
		assertThat(page.select("input[data-revoke-warning=revoke-PASSWORD]").hasAttr("checked")).isTrue();
	}

	@Test
	void disablePasswordGrantThenItsTokensStopAndAuditCountsThem() throws Exception {
		String access = passwordToken();
		clients.update(client.client().id(), null, new AuthClientDraft(client.client().name(),
				Set.of(GrantType.PERSONAL_ACCESS), List.of()));
		mvc.perform(get("/api/1.0/auth-clients").header(HttpHeaders.AUTHORIZATION, "Bearer " + access))
			.andExpect(status().isUnauthorized());
		assertThat(jdbc.sql("select changes from audit_record where subject_id = :id and action = 'updated'")
			.param("id", client.client().id()).query(String.class).single()).contains("revoked_tokens", "\"to\":\"2\"");
	}

	@Test
	void regenerateSecretThenIssuedTokensKeepWorkingButOldSecretFails() throws Exception {
		String access = passwordToken();
		IssuedSecret regenerated = clients.regenerateSecret(client.client().id());
		mvc.perform(get("/api/1.0/auth-clients").header(HttpHeaders.AUTHORIZATION, "Bearer " + access))
			.andExpect(status().isOk());
		mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "password").param("username", user.username()).param("password", "user-password"))
			.andExpect(status().isUnauthorized());
		mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), regenerated.secret()))
			.param("grant_type", "password").param("username", user.username()).param("password", "user-password"))
			.andExpect(status().isOk());
	}

	@Test
	void deleteClientThenEverythingItIssuedStops() throws Exception {
		String access = passwordToken();
		clients.delete(client.client().id());
		mvc.perform(get("/api/1.0/auth-clients").header(HttpHeaders.AUTHORIZATION, "Bearer " + access))
			.andExpect(status().isUnauthorized());
		mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "password").param("username", user.username()).param("password", "user-password"))
			.andExpect(status().isUnauthorized())
			.andExpect(jsonPath("$.error").value("invalid_client"));
		assertThat(jdbc.sql("select changes from audit_record where subject_id = :id and action = 'deleted'")
			.param("id", client.client().id()).query(String.class).single()).contains("revoked_tokens");
	}

	private String passwordToken() throws Exception {
		String body = mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "password").param("username", user.username()).param("password", "user-password"))
			.andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
		return json.readTree(body).get("access_token").asString();
	}

}
