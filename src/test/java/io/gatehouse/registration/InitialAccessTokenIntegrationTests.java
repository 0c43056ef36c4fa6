package io.gatehouse.registration;

import java.util.UUID;

import io.gatehouse.accounts.User;
import io.gatehouse.secrets.Secrets;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static io.gatehouse.support.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Initial access tokens in the REST API and the console: who may manage them, their bounds, shown once, hashed. */
@GatehouseIntegrationTest
class InitialAccessTokenIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	User creator;

	@BeforeEach
	void setUp() {
		creator = TestAccounts.user().permissions("view-auth_clients", "create-auth_clients").create(jdbc);
	}

	@Test
	void createWhenCreatorThen201WithTokenOnceStoredAsHashListedWithoutValueAndAudited() throws Exception {
		String name = "Deploy " + UUID.randomUUID();
		MvcResult created = mvc.perform(post("/api/1.0/initial-access-tokens").with(as(creator)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\": \"" + name + "\", \"expires_in\": 3600, \"single_use\": true}"))
			.andExpect(status().isCreated())
			.andExpect(header().string("Cache-Control", containsString("no-store")))
			.andExpect(jsonPath("$.single_use").value(true))
			.andExpect(jsonPath("$.state").value("active"))
			.andExpect(jsonPath("$.created_by").value(creator.username()))
			.andReturn();
		JsonNode body = json.readTree(created.getResponse().getContentAsString());
		String id = body.get("id").asString();
		String token = body.get("token").asString();
		assertThat(token).startsWith("gtiat_").hasSizeGreaterThanOrEqualTo(6 + 43);
		assertThat(java.time.Duration.between(java.time.Instant.parse(body.get("created_at").asString()),
				java.time.Instant.parse(body.get("expires_at").asString()))).hasSeconds(3600);
		assertThat(jdbc.sql("select token_hash from initial_access_token where id = :id").param("id", id)
			.query(String.class).single()).isEqualTo(Secrets.sha256(token));

		mvc.perform(get("/api/1.0/initial-access-tokens").with(as(creator)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data[?(@.id == '" + id + "')].name").value(name))
			.andExpect(jsonPath("$.data[0].token").doesNotExist())
			.andExpect(content().string(not(containsString(token))));
		String audited = jdbc.sql("""
				select actor_username || ' ' || changes from audit_record
				where subject_type = 'initial_access_token' and subject_id = :id and action = 'created'""")
			.param("id", id).query(String.class).single();
		assertThat(audited).startsWith(creator.username()).contains(name).doesNotContain(token)
			.doesNotContain(token.substring(6, 20));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"name\": \"x\", \"expires_in\": 59}", "{\"name\": \"x\", \"expires_in\": 2592001}",
			"{\"name\": \"x\", \"expires_in\": -1}", "{\"name\": \"x\"}", "{\"name\": \" \", \"expires_in\": 3600}" })
	void createWhenNameMissingOrLifetimeOutOfBoundsThen422AndNothingStored(String request) throws Exception {
		long before = count();
		mvc.perform(post("/api/1.0/initial-access-tokens").with(as(creator)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content(request))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors").exists());
		assertThat(count()).isEqualTo(before);
	}

	@Test
	void everyEndpointWhenWithoutCreateAuthClientsThen403() throws Exception {
		User viewer = TestAccounts.user().permissions("view-auth_clients", "edit-auth_clients").create(jdbc);
		mvc.perform(get("/api/1.0/initial-access-tokens").with(as(viewer))).andExpect(status().isForbidden());
		mvc.perform(post("/api/1.0/initial-access-tokens").with(as(viewer)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\": \"x\", \"expires_in\": 3600}"))
			.andExpect(status().isForbidden());
		mvc.perform(delete("/api/1.0/initial-access-tokens/{id}", "any").with(as(viewer)).with(csrf()))
			.andExpect(status().isForbidden());
		mvc.perform(get("/admin/initial-access-tokens").with(as(viewer))).andExpect(status().isForbidden());
		mvc.perform(post("/admin/initial-access-tokens").with(as(viewer)).with(csrf())
			.param("name", "x").param("expires_in", "3600"))
			.andExpect(status().isForbidden());
		mvc.perform(get("/admin/auth-clients").with(as(viewer)))
			.andExpect(status().isOk())
			.andExpect(content().string(not(containsString("/admin/initial-access-tokens"))));
		mvc.perform(get("/api/1.0/initial-access-tokens")).andExpect(status().isUnauthorized());
	}

	@Test
	void deleteWhenTokenThen204RevokedAndAudited() throws Exception {
		String id = json.readTree(mvc.perform(post("/api/1.0/initial-access-tokens").with(as(creator)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\": \"Old\", \"expires_in\": 3600}"))
			.andReturn().getResponse().getContentAsString()).get("id").asString();

		mvc.perform(delete("/api/1.0/initial-access-tokens/{id}", id).with(as(creator)).with(csrf()))
			.andExpect(status().isNoContent());

		assertThat(jdbc.sql("select revoked from initial_access_token where id = :id").param("id", id)
			.query(Boolean.class).single()).isTrue();
		assertThat(jdbc.sql("select count(*) from audit_record where subject_id = :id and action = 'revoked'")
			.param("id", id).query(Long.class).single()).isEqualTo(1);
		mvc.perform(get("/api/1.0/initial-access-tokens").with(as(creator)))
			.andExpect(jsonPath("$.data[?(@.id == '" + id + "')].state").value("revoked"));
		mvc.perform(delete("/api/1.0/initial-access-tokens/{id}", "unknown").with(as(creator)).with(csrf()))
			.andExpect(status().isNotFound());
	}

	@Test
	void consoleWhenCreatorCreatesThenValueShownOnceNoStoreThenListedAndRevocable() throws Exception {
		mvc.perform(get("/admin/auth-clients").with(as(creator)))
			.andExpect(content().string(containsString("/admin/initial-access-tokens")));
		String name = "Console " + UUID.randomUUID();
		MvcResult created = mvc.perform(post("/admin/initial-access-tokens").with(as(creator)).with(csrf())
			.param("name", name).param("expires_in", "604800").param("single_use", "true"))
			.andExpect(status().isOk())
			.andExpect(header().string("Cache-Control", "no-store"))
			.andExpect(content().string(containsString("gtiat_")))
			.andExpect(content().string(containsString("It will not be shown again")))
			.andReturn();
		String page = created.getResponse().getContentAsString();
		String value = page.replaceAll("(?s).*id=\"token-value\"[^>]*>(gtiat_[A-Za-z0-9_-]+)<.*", "$1");
		String id = jdbc.sql("select id from initial_access_token where token_hash = :h")
			.param("h", Secrets.sha256(value)).query(String.class).single();

		mvc.perform(get("/admin/initial-access-tokens").with(as(creator)))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(name)))
			.andExpect(content().string(not(containsString(value))));
		mvc.perform(post("/admin/initial-access-tokens").with(as(creator)).with(csrf())
			.param("name", "").param("expires_in", "604800"))
			.andExpect(status().isUnprocessableContent())
			.andExpect(content().string(containsString("The Name field is required.")));
		mvc.perform(post("/admin/initial-access-tokens/{id}/revoke", id).with(as(creator)).with(csrf()))
			.andExpect(redirectedUrl("/admin/initial-access-tokens"))
			.andExpect(flash().attribute("flash", containsString("was revoked")));
		assertThat(jdbc.sql("select revoked from initial_access_token where id = :id").param("id", id)
			.query(Boolean.class).single()).isTrue();
	}

	private long count() {
		return jdbc.sql("select count(*) from initial_access_token").query(Long.class).single();
	}

}
