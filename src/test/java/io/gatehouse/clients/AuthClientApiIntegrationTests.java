package io.gatehouse.clients;

import java.util.List;
import java.util.Map;

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
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@GatehouseIntegrationTest
class AuthClientApiIntegrationTests {

	static final String ACTIVE_SECRET_HASH = """
			select max(secret_hash) from auth_client_secret where client_id = :id and revoked_at is null""";

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Autowired
	AuthClientService service;

	User admin;

	@BeforeEach
	void setUp() {
		admin = TestAccounts.user().superAdmin().create(jdbc);
	}

	@Test
	void createWhenValidThen201WithSecretShownOnceAndStoredOnlyAsHash() throws Exception {
		JsonNode created = create(Map.of("name", unique("Billing"), "types", List.of("authorization_code_grant",
				"password_client"),
				"redirect", "https://billing.example.com/callback"));
		String id = created.get("id").asString();
		String secret = created.get("secret").asString();
		assertThat(secret).startsWith("gtcs_").hasSizeGreaterThanOrEqualTo(5 + 43);
		assertThat(created.get("types").toString()).isEqualTo("[\"authorization_code_grant\",\"password_client\"]");
		assertThat(created.get("redirect").asString()).isEqualTo("https://billing.example.com/callback");
		assertThat(created.get("revoked").asBoolean()).isFalse();
		assertThat(created.has("created_at")).isTrue();

		String stored = jdbc.sql(ACTIVE_SECRET_HASH).param("id", id)
			.query(String.class).single();
		assertThat(stored).doesNotContain(secret).hasSize(64).isEqualTo(Secrets.sha256(secret));

		mvc.perform(get("/api/1.0/auth-clients/{id}", id).with(as(admin)))
			.andExpect(status().isOk())
			.andExpect(header().string("ETag", "\"1\""))
			.andExpect(jsonPath("$.name").value(created.get("name").asString()))
			.andExpect(jsonPath("$.secret").doesNotExist())
			.andExpect(content().string(not(containsString(secret))));
		mvc.perform(get("/api/1.0/auth-clients").param("filter", id).with(as(admin)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data[0].id").value(id))
			.andExpect(jsonPath("$.data[0].secret").doesNotExist())
			.andExpect(jsonPath("$.meta.total").value(1));
	}

	@Test
	void createWhenNothingChosenThen422WithOriginalMessages() throws Exception {
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\": \"  \", \"types\": []}"))
			.andExpect(status().isUnprocessableContent())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.errors.name[0]").value("The Name field is required."))
			.andExpect(jsonPath("$.errors.types[0]").value("The Auth-Client must have at least 1 item chosen."));
	}

	@Test
	void createWhenCodeGrantWithoutRedirectThen422RedirectRequired() throws Exception {
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("name", unique("x"), "types",
					List.of("authorization_code_grant")))))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.redirect[0]").value("The Redirect field is required."));
	}

	@Test
	void createWhenRedirectHostileThen422AndNothingWritten() throws Exception {
		String name = unique("Hostile");
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("name", name, "types", List.of("authorization_code_grant"),
					"redirect_uris", List.of("JavaScript:alert(1)")))))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.redirect[0]").value(containsString("https")));
		assertThat(countByName(name)).isZero();
	}

	@Test
	void createWhenUnknownTypeThen422() throws Exception {
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\": \"x\", \"types\": [\"implicit\"]}"))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.types[0]").value("The selected types is invalid."));
	}

	@Test
	void createWhenNameTakenInAnyCaseThen422() throws Exception {
		String name = unique("Mobile App");
		create(Map.of("name", name, "types", List.of("password_client")));
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("name", "  " + name.toUpperCase() + " ", "types",
					List.of("password_client")))))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.name[0]").value("The Name has already been taken."));
	}

	@Test
	void createWhenNameHasControlOrFormatCharacterOrLoneSurrogateThen422AndNothingWritten() throws Exception {
		long before = jdbc.sql("select count(*) from auth_client").query(Long.class).single();
		for (String name : List.of(unique("Billing\u202egnp.exe"), unique("Zero\u200bwidth"), unique("Esc\u001b[1m"),
				unique("Nul\u0000"), unique("Isolate\u2067x"))) {
			mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
				.contentType(MediaType.APPLICATION_JSON)
				.content(json.writeValueAsString(Map.of("name", name, "types", List.of("password_client")))))
				.andExpect(status().isUnprocessableContent())
				.andExpect(jsonPath("$.errors.name[0]").value("The Name must not contain control characters."));
		}
		// as JSON escapes: a JSON writer would not write a lone surrogate
		String half = unique("Half");
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\": \"\\ud800" + half + "\", \"types\": [\"password_client\"]}"))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.name[0]").value("The Name must be valid Unicode text."));
		assertThat(jdbc.sql("select count(*) from auth_client").query(Long.class).single()).isEqualTo(before);
	}

	@Test
	void createWhenNameInAnyScriptThen201() throws Exception {
		for (String name : List.of(unique("Abrechnung Müller"), unique("\u8acb\u6c42\u30b7\u30b9\u30c6\u30e0"),
				unique("\u0424\u0430\u043a\u0442\u0443\u0440\u044b"))) {
			assertThat(create(Map.of("name", name, "types", List.of("password_client"))).get("name").asString())
				.isEqualTo(name);
		}
	}

	@Test
	void createWhenBodyMalformedOrWrongTypeOrHugeThen4xxNever500() throws Exception {
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content("{\"name\": "))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"x\", \"types\": \"password_client\"}"))
			.andExpect(status().isBadRequest());
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\": {\"a\": 1}, \"types\": [\"password_client\"]}"))
			.andExpect(status().isBadRequest());
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.TEXT_PLAIN).content("name=x"))
			.andExpect(status().isUnsupportedMediaType());
		String huge = "{\"name\": \"" + "a".repeat(300_000) + "\", \"types\": [\"password_client\"]}";
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content(huge))
			.andExpect(status().isContentTooLarge());
		mvc.perform(get("/api/1.0/auth-clients").param("per_page", "abc").with(as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.per_page[0]").exists());
		mvc.perform(get("/api/1.0/auth-clients").param("order_by", "secret_hash").with(as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.order_by[0]").exists());
	}

	@Test
	void listWhenFilterHasControlCharacterThen422NamingFilterNot500() throws Exception {
		// PostgreSQL refuses a NUL in any text parameter; the filter must never get that far
		for (String filter : List.of("a\u0000b", "a\u202eb")) {
			mvc.perform(get("/api/1.0/auth-clients").param("filter", filter).with(as(admin)))
				.andExpect(status().isUnprocessableContent())
				.andExpect(jsonPath("$.errors.filter[0]").value("The filter field must not contain control "
						+ "characters."));
		}
	}

	@Test
	void showWhenUnknownOrDeletedThen404Problem() throws Exception {
		mvc.perform(get("/api/1.0/auth-clients/{id}", "no-such-client").with(as(admin)))
			.andExpect(status().isNotFound())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.status").value(404));
		String id = create(Map.of("name", unique("Short-lived"), "types", List.of("password_client"))).get("id")
			.asString();
		mvc.perform(delete("/api/1.0/auth-clients/{id}", id).with(as(admin)).with(csrf()))
			.andExpect(status().isNoContent());
		mvc.perform(get("/api/1.0/auth-clients/{id}", id).with(as(admin))).andExpect(status().isNotFound());
		mvc.perform(delete("/api/1.0/auth-clients/{id}", id).with(as(admin)).with(csrf()))
			.andExpect(status().isNotFound());
		assertThat(jdbc.sql("select revoked from auth_client where id = :id").param("id",
				id).query(Boolean.class).single())
			.as("the row is kept, revoked, so its tokens can be refused")
			.isTrue();
	}

	@Test
	void deleteThenNameCanBeReused() throws Exception {
		String name = unique("Reusable");
		String id = create(Map.of("name", name, "types", List.of("password_client"))).get("id").asString();
		mvc.perform(delete("/api/1.0/auth-clients/{id}", id).with(as(admin)).with(csrf()))
			.andExpect(status().isNoContent());
		create(Map.of("name", name, "types", List.of("password_client")));
	}

	@Test
	void updateWhenValidThen200NewETagSecretUnchangedAndAudited() throws Exception {
		JsonNode created = create(Map.of("name", unique("Old name"), "types", List.of("password_client")));
		String id = created.get("id").asString();
		String secret = created.get("secret").asString();
		String newName = unique("New name");
		mvc.perform(put("/api/1.0/auth-clients/{id}", id).with(as(admin)).with(csrf())
			.header("If-Match", "\"1\"")
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("name", newName, "types",
					List.of("authorization_code_grant", "personal_access_client"),
					"redirect", "https://a.example/cb,http://127.0.0.1:8000/cb"))))
			.andExpect(status().isOk())
			.andExpect(header().string("ETag", "\"2\""))
			.andExpect(jsonPath("$.name").value(newName))
			.andExpect(jsonPath("$.redirect").value("https://a.example/cb,http://127.0.0.1:8000/cb"))
			.andExpect(jsonPath("$.redirect_uris[1]").value("http://127.0.0.1:8000/cb"))
			.andExpect(jsonPath("$.secret").doesNotExist());
		assertThat(Secrets.sha256(secret)).isEqualTo(
				jdbc.sql(ACTIVE_SECRET_HASH).param("id", id).query(String.class)
					.single());

		List<Map<String, Object>> audit = jdbc.sql("""
				select actor_username, action, changes from audit_record
				where subject_type = 'auth_client' and subject_id = :id order by id
				""").param("id", id).query().listOfRows();
		assertThat(audit).extracting(row -> row.get("action")).containsExactly("created", "updated");
		assertThat(audit.get(1).get("actor_username")).isEqualTo(admin.username());
		assertThat((String) audit.get(1).get("changes")).contains("\"field\":\"name\"", newName,
				"Authorization Code Grant, Personal Access Tokens", "https://a.example/cb");
		assertThat(audit.toString()).doesNotContain(secret);
	}

	@Test
	void createWhenIntrospectOthersThenStoredShownAndAudited() throws Exception {
		JsonNode created = create(Map.of("name", unique("Gateway"), "types", List.of("client_credentials"),
				"introspect_others", true));
		String id = created.get("id").asString();
		assertThat(created.get("introspect_others").asBoolean()).isTrue();
		mvc.perform(get("/api/1.0/auth-clients/{id}", id).with(as(admin)))
			.andExpect(jsonPath("$.introspect_others").value(true));
		assertThat(jdbc.sql("select introspect_others from auth_client where id = :id").param("id", id)
			.query(Boolean.class).single()).isTrue();
		assertThat(jdbc.sql("select changes from audit_record where subject_id = :id and action = 'created'")
			.param("id", id).query(String.class).single())
			.contains("{\"field\":\"introspect_others\",\"from\":null,\"to\":\"true\"}");

		JsonNode plain = create(Map.of("name", unique("Plain"), "types", List.of("password_client")));
		assertThat(plain.get("introspect_others").asBoolean()).isFalse();
	}

	@Test
	void updateWhenIntrospectOthersWithdrawnThenStoredAndAudited() throws Exception {
		String name = unique("Resource server");
		String id = create(Map.of("name", name, "types", List.of("client_credentials"), "introspect_others", true))
			.get("id").asString();
		mvc.perform(put("/api/1.0/auth-clients/{id}", id).with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("name", name, "types", List.of("client_credentials"),
					"introspect_others", false))))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.introspect_others").value(false));
		assertThat(jdbc.sql("select introspect_others from auth_client where id = :id").param("id", id)
			.query(Boolean.class).single()).isFalse();
		assertThat(jdbc.sql("select changes from audit_record where subject_id = :id and action = 'updated'")
			.param("id", id).query(String.class).single())
			.contains("{\"field\":\"introspect_others\",\"from\":\"true\",\"to\":\"false\"}");
	}

	@Test
	void createWhenRequireParThenStoredShownAuditedAndWithdrawable() throws Exception {
		String name = unique("PAR web");
		JsonNode created = create(Map.of("name", name, "types", List.of("authorization_code_grant"), "redirect",
				"https://app.example/cb", "require_par", true));
		String id = created.get("id").asString();
		assertThat(created.get("require_par").asBoolean()).isTrue();
		mvc.perform(get("/api/1.0/auth-clients/{id}", id).with(as(admin)))
			.andExpect(jsonPath("$.require_par").value(true));
		assertThat(jdbc.sql("select require_par from auth_client where id = :id").param("id", id)
			.query(Boolean.class).single()).isTrue();
		assertThat(jdbc.sql("select changes from audit_record where subject_id = :id and action = 'created'")
			.param("id", id).query(String.class).single())
			.contains("{\"field\":\"require_par\",\"from\":null,\"to\":\"true\"}");

		mvc.perform(put("/api/1.0/auth-clients/{id}", id).with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("name", name, "types", List.of("authorization_code_grant"),
					"redirect", "https://app.example/cb", "require_par", false))))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.require_par").value(false));
		assertThat(jdbc.sql("select require_par from auth_client where id = :id").param("id", id)
			.query(Boolean.class).single()).isFalse();

		JsonNode plain = create(Map.of("name", unique("Plain"), "types", List.of("password_client")));
		assertThat(plain.get("require_par").asBoolean()).isFalse();
	}

	@Test
	void createWhenRequireDpopThenStoredShownAuditedAndWithdrawable() throws Exception {
		String name = unique("DPoP batch");
		JsonNode created = create(Map.of("name", name, "types", List.of("client_credentials"), "require_dpop", true));
		String id = created.get("id").asString();
		assertThat(created.get("require_dpop").asBoolean()).isTrue();
		mvc.perform(get("/api/1.0/auth-clients/{id}", id).with(as(admin)))
			.andExpect(jsonPath("$.require_dpop").value(true));
		assertThat(jdbc.sql("select require_dpop from auth_client where id = :id").param("id", id)
			.query(Boolean.class).single()).isTrue();
		assertThat(jdbc.sql("select changes from audit_record where subject_id = :id and action = 'created'")
			.param("id", id).query(String.class).single())
			.contains("{\"field\":\"require_dpop\",\"from\":null,\"to\":\"true\"}");

		mvc.perform(put("/api/1.0/auth-clients/{id}", id).with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("name", name, "types", List.of("client_credentials"),
					"require_dpop", false))))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.require_dpop").value(false));
		assertThat(jdbc.sql("select require_dpop from auth_client where id = :id").param("id", id)
			.query(Boolean.class).single()).isFalse();

		JsonNode plain = create(Map.of("name", unique("Plain"), "types", List.of("password_client")));
		assertThat(plain.get("require_dpop").asBoolean()).isFalse();
	}

	@Test
	void createWhenTokenExchangeWithAudiencesThenStoredShownAndAudited() throws Exception {
		String backend = create(Map.of("name", unique("Exchange backend"), "types", List.of("password_client")))
			.get("id").asString();
		JsonNode created = create(Map.of("name", unique("Exchange gateway"), "types", List.of("token_exchange"),
				"token_exchange_audiences", List.of(" " + backend + " ")));
		String id = created.get("id").asString();
		assertThat(created.get("types").toString()).contains("token_exchange");
		assertThat(created.get("token_exchange_audiences").toString()).isEqualTo("[\"" + backend + "\"]");
		assertThat(jdbc.sql("select token_exchange_audiences from auth_client where id = :id and token_exchange")
			.param("id", id).query(String.class).single()).isEqualTo(backend);
		assertThat(jdbc.sql("select changes from audit_record where subject_id = :id and action = 'created'")
			.param("id", id).query(String.class).single())
			.contains("{\"field\":\"token_exchange_audiences\",\"from\":null,\"to\":\"" + backend + "\"}");
	}

	@Test
	void createWhenExchangeAudienceUnknownDeletedOrWithoutTheGrantThen422AndNothingWritten() throws Exception {
		String deleted = create(Map.of("name", unique("Deleted backend"), "types", List.of("password_client")))
			.get("id").asString();
		mvc.perform(delete("/api/1.0/auth-clients/{id}", deleted).with(as(admin)).with(csrf()))
			.andExpect(status().is2xxSuccessful());
		for (Map<String, Object> body : List.<Map<String, Object>>of(
				Map.of("types", List.of("token_exchange"), "token_exchange_audiences", List.of("no-such-client")),
				Map.of("types", List.of("token_exchange"), "token_exchange_audiences", List.of(deleted)),
				Map.of("types", List.of("password_client"), "token_exchange_audiences", List.of(deleted)))) {
			String name = unique("Bad exchange");
			Map<String, Object> request = new java.util.HashMap<>(body);
			request.put("name", name);
			mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
				.contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(request)))
				.andExpect(status().isUnprocessableContent())
				.andExpect(jsonPath("$.errors.token_exchange_audiences[0]").isString());
			assertThat(jdbc.sql("select count(*) from auth_client where name = :name").param("name", name)
				.query(Long.class).single()).isZero();
		}
	}

	@Test
	void createWhenRequireParWithoutCodeGrantThen422AndNothingWritten() throws Exception {
		String name = unique("PAR batch");
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("name", name, "types", List.of("password_client"),
					"require_par", true))))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.require_par[0]").value(containsString("authorization code")));
		assertThat(countByName(name)).isZero();
	}

	@Test
	void createWhenPostLogoutRedirectUrisThenStoredShownAndAudited() throws Exception {
		JsonNode created = create(Map.of("name", unique("OIDC web"), "types", List.of("authorization_code_grant"),
				"redirect", "https://app.example/cb", "post_logout_redirect_uris",
				List.of("https://app.example/bye", "http://127.0.0.1:8080/bye")));
		String id = created.get("id").asString();
		mvc.perform(get("/api/1.0/auth-clients/{id}", id).with(as(admin)))
			.andExpect(jsonPath("$.post_logout_redirect_uris[0]").value("https://app.example/bye"))
			.andExpect(jsonPath("$.post_logout_redirect_uris[1]").value("http://127.0.0.1:8080/bye"));
		assertThat(jdbc.sql("select post_logout_redirect_uris from auth_client where id = :id").param("id", id)
			.query(String.class).single()).isEqualTo("https://app.example/bye\nhttp://127.0.0.1:8080/bye");
		assertThat(jdbc.sql("select changes from audit_record where subject_id = :id and action = 'created'")
			.param("id", id).query(String.class).single()).contains("post_logout_redirect");

		JsonNode plain = create(Map.of("name", unique("Plain"), "types", List.of("password_client")));
		assertThat(plain.get("post_logout_redirect_uris").isEmpty()).isTrue();
		assertThat(plain.get("revoke_tokens_on_logout").asBoolean()).isFalse();

		JsonNode revoking = create(Map.of("name", unique("OIDC strict"), "types", List.of("authorization_code_grant"),
				"redirect", "https://app.example/cb", "revoke_tokens_on_logout", true));
		assertThat(revoking.get("revoke_tokens_on_logout").asBoolean()).isTrue();
		assertThat(jdbc.sql("select revoke_tokens_on_logout from auth_client where id = :id")
			.param("id", revoking.get("id").asString()).query(Boolean.class).single()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://app.example/bye", "https://app.example/bye#top", "https://user:pw@app.example/x",
			"javascript:alert(1)", "/relative" })
	void createWhenPostLogoutRedirectUriHostileThen422AndNothingWritten(String uri) throws Exception {
		String name = unique("OIDC hostile");
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("name", name, "types", List.of("authorization_code_grant"),
					"redirect", "https://app.example/cb", "post_logout_redirect_uris", List.of(uri)))))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.post_logout_redirect_uris[0]").exists());
		assertThat(countByName(name)).isZero();
	}

	@Test
	void createWhenPublicClientRequiresParThen422AndNothingWritten() throws Exception {
		String name = unique("PAR SPA");
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("name", name, "types", List.of("authorization_code_grant"),
					"redirect", "https://spa.example/cb", "public", true, "require_par", true))))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.require_par[0]").value(containsString("public client")));
		assertThat(countByName(name)).isZero();
	}

	@Test
	void createWhenDeviceCodeTypeThenStoredAndShown() throws Exception {
		JsonNode created = create(Map.of("name", unique("TV"), "types", List.of("device_code")));
		assertThat(created.get("types").toString()).isEqualTo("[\"device_code\"]");
		assertThat(jdbc.sql("select device_code from auth_client where id = :id")
			.param("id", created.get("id").asString()).query(Boolean.class).single()).isTrue();
	}

	@Test
	void createWhenPublicClientWithDeviceCodeThen422AndNothingWritten() throws Exception {
		String name = unique("Public TV");
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("name", name, "types", List.of("device_code"), "public", true))))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.public[0]").value(containsString("public client")));
		assertThat(countByName(name)).isZero();
	}

	@Test
	void createWhenPublicClientMayIntrospectOthersThen422AndNothingWritten() throws Exception {
		String name = unique("SPA");
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("name", name, "types", List.of("authorization_code_grant"),
					"redirect", "https://spa.example/cb", "public", true, "introspect_others", true))))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.introspect_others[0]").value(containsString("public client")));
		assertThat(countByName(name)).isZero();
	}

	@Test
	void updateWhenShownBodySentBackUnchangedThen200AndNothingChanged() throws Exception {
		List<Map<String, Object>> shapes = List.of(
				Map.of("name", unique("Round trip code"), "types", List.of("authorization_code_grant",
						"password_client"),
						"redirect_uris", List.of("https://a.example/cb", "http://127.0.0.1:8000/cb")),
				Map.of("name", unique("Round trip one redirect"), "types", List.of("authorization_code_grant"),
						"redirect", "https://one.example/cb"),
				Map.of("name", unique("Round trip service"), "types", List.of("client_credentials")),
				Map.of("name", unique("Round trip public"), "types", List.of("authorization_code_grant"),
						"redirect", "https://spa.example/cb", "public", true),
				Map.of("name", unique("Round trip tokens"), "types", List.of("personal_access_client")));
		for (Map<String, Object> shape : shapes) {
			String id = create(shape).get("id").asString();
			MvcResult shown = mvc.perform(get("/api/1.0/auth-clients/{id}", id).with(as(admin))).andReturn();
			String body = shown.getResponse().getContentAsString();
			long audited = auditCount(id);

			mvc.perform(put("/api/1.0/auth-clients/{id}", id).with(as(admin)).with(csrf())
				.header("If-Match", shown.getResponse().getHeader("ETag"))
				.contentType(MediaType.APPLICATION_JSON)
				.content(body))
				.andExpect(status().isOk())
				.andExpect(header().string("ETag", "\"1\""));

			assertThat(json.readTree(mvc.perform(get("/api/1.0/auth-clients/{id}", id).with(as(admin)))
				.andReturn().getResponse().getContentAsString())).as(body).isEqualTo(json.readTree(body));
			assertThat(auditCount(id)).isEqualTo(audited);
		}
	}

	@Test
	void updateWhenShownBodySentBackWithNewNameThen200WithTheChangeOnly() throws Exception {
		String id = create(Map.of("name", unique("Renamed"), "types", List.of("authorization_code_grant"),
				"redirect_uris", List.of("https://a.example/cb", "https://b.example/cb"))).get("id").asString();
		tools.jackson.databind.node.ObjectNode shown = (tools.jackson.databind.node.ObjectNode) json.readTree(
				mvc.perform(get("/api/1.0/auth-clients/{id}", id).with(as(admin))).andReturn().getResponse()
					.getContentAsString());
		String newName = unique("Renamed again");
		shown.put("name", newName);

		mvc.perform(put("/api/1.0/auth-clients/{id}", id).with(as(admin)).with(csrf()).header("If-Match", "\"1\"")
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(shown)))
			.andExpect(status().isOk())
			.andExpect(header().string("ETag", "\"2\""))
			.andExpect(jsonPath("$.name").value(newName))
			.andExpect(jsonPath("$.redirect_uris", contains("https://a.example/cb", "https://b.example/cb")))
			.andExpect(jsonPath("$.types", contains("authorization_code_grant")));
	}

	@Test
	void updateWhenRedirectAndRedirectUrisDisagreeThenRedirectUrisWin() throws Exception {
		String name = unique("Both fields");
		String id = create(Map.of("name", name, "types", List.of("authorization_code_grant"),
				"redirect", "https://old.example/cb")).get("id").asString();

		mvc.perform(put("/api/1.0/auth-clients/{id}", id).with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("name", name, "types", List.of("authorization_code_grant"),
					"redirect", "https://old.example/cb", "redirect_uris",
					List.of("https://new.example/cb", "https://new.example/other")))))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.redirect").value("https://new.example/cb,https://new.example/other"))
			.andExpect(jsonPath("$.redirect_uris", contains("https://new.example/cb", "https://new.example/other")));
	}

	@Test
	void updateWhenIfMatchStaleThen412AndNothingChanged() throws Exception {
		String name = unique("Contended");
		String id = create(Map.of("name", name, "types", List.of("password_client"))).get("id").asString();
		String body = json.writeValueAsString(Map.of("name", name + " A", "types", List.of("password_client")));
		mvc.perform(put("/api/1.0/auth-clients/{id}", id).with(as(admin)).with(csrf()).header("If-Match", "\"1\"")
			.contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isOk());
		mvc.perform(put("/api/1.0/auth-clients/{id}", id).with(as(admin)).with(csrf()).header("If-Match", "\"1\"")
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("name", name + " B", "types", List.of("password_client")))))
			.andExpect(status().isPreconditionFailed())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
		mvc.perform(get("/api/1.0/auth-clients/{id}", id).with(as(admin)))
			.andExpect(jsonPath("$.name").value(name + " A"));
	}

	@Test
	void regenerateSecretThenOldSecretStopsMatchingAndNewOneShownOnce() throws Exception {
		JsonNode created = create(Map.of("name", unique("Rotating"), "types", List.of("password_client")));
		String id = created.get("id").asString();
		String oldSecret = created.get("secret").asString();
		MvcResult result = mvc.perform(post("/api/1.0/auth-clients/{id}/secret", id).with(as(admin)).with(csrf()))
			.andExpect(status().isOk())
			.andExpect(header().string("Cache-Control", containsString("no-store")))
			.andReturn();
		String newSecret = json.readTree(result.getResponse().getContentAsString()).get("secret").asString();
		assertThat(newSecret).isNotEqualTo(oldSecret);
		assertThat(service.secretMatches(id, newSecret)).isTrue();
		assertThat(service.secretMatches(id, oldSecret)).isFalse();
		assertThat(jdbc.sql("select changes from audit_record where subject_id = :id and action = 'secret_regenerated'")
			.param("id", id).query(String.class).single()).doesNotContain(newSecret).doesNotContain(oldSecret);
	}

	@Test
	void listWhenPagedSortedAndFilteredThenServerDoesIt() throws Exception {
		String tag = unique("zz-page");
		for (String suffix : List.of("c", "a", "b")) {
			create(Map.of("name", tag + "-" + suffix, "types", List.of("personal_access_client")));
		}
		mvc.perform(get("/api/1.0/auth-clients").with(as(admin)).param("filter", tag).param("per_page", "2")
			.param("order_by", "name").param("order_direction", "desc"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.meta.total").value(3))
			.andExpect(jsonPath("$.meta.per_page").value(2))
			.andExpect(jsonPath("$.meta.total_pages").value(2))
			.andExpect(jsonPath("$.data.length()").value(2))
			.andExpect(jsonPath("$.data[0].name").value(tag + "-c"))
			.andExpect(jsonPath("$.data[1].name").value(tag + "-b"));
		mvc.perform(get("/api/1.0/auth-clients").with(as(admin)).param("filter", tag).param("per_page", "2")
			.param("page", "2").param("order_by", "name"))
			.andExpect(jsonPath("$.data.length()").value(1))
			.andExpect(jsonPath("$.data[0].name").value(tag + "-c"));
		mvc.perform(get("/api/1.0/auth-clients").with(as(admin)).param("filter", tag).param("order_by", "created_at")
			.param("order_direction", "asc"))
			.andExpect(jsonPath("$.data[*].name", contains(tag + "-c", tag + "-a", tag + "-b")));
		mvc.perform(get("/api/1.0/auth-clients").with(as(admin)).param("filter", "%"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data[*].name", not(hasItem(containsString(tag)))));
	}

	@Test
	void requestsWhenNotSignedInThen401Problem() throws Exception {
		mvc.perform(get("/api/1.0/auth-clients"))
			.andExpect(status().isUnauthorized())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
		mvc.perform(post("/api/1.0/auth-clients").contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andExpect(status().isUnauthorized());
		mvc.perform(post("/api/1.0/auth-clients").with(csrf()).contentType(MediaType.APPLICATION_JSON).content("{}"))
			.andExpect(status().isUnauthorized());
	}

	@Test
	void writesWhenCsrfTokenMissingThen403() throws Exception {
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\": \"x\", \"types\": [\"password_client\"]}"))
			.andExpect(status().isForbidden());
	}

	private JsonNode create(Map<String, Object> body) throws Exception {
		MvcResult result = mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(body)))
			.andExpect(status().isCreated())
			.andExpect(header().string("ETag", "\"1\""))
			.andReturn();
		return json.readTree(result.getResponse().getContentAsString());
	}

	private long auditCount(String id) {
		return jdbc.sql("select count(*) from audit_record where subject_id = :id").param("id", id).query(Long.class)
			.single();
	}

	private long countByName(String name) {
		return jdbc.sql("select count(*) from auth_client where name = :name").param("name", name).query(Long.class)
			.single();
	}

	static String unique(String name) {
		return name + " " + java.util.UUID.randomUUID().toString().substring(0, 8);
	}

}
