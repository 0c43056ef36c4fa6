package io.gatehouse.personaltokens;

import java.util.List;
import java.util.Map;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.TestAuthClients;
import io.gatehouse.secrets.Secrets;
import io.gatehouse.signin.Permissions;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static io.gatehouse.support.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@GatehouseIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class PersonalAccessTokenApiIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Test
	void createWhenValidThen201WithValueShownOnceAndStoredOnlyAsHash(CapturedOutput output) throws Exception {
		User owner = TestAccounts.user().permissions(Permissions.VIEW_AUTH_CLIENTS).create(jdbc);
		MvcResult result = mvc.perform(post("/api/1.0/users/{id}/tokens", owner.id()).with(as(owner)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\": \" Deploy script \", \"scopes\": [\"api\"]}"))
			.andExpect(status().isCreated())
			.andExpect(header().string(HttpHeaders.CACHE_CONTROL, containsString("no-store")))
			.andExpect(jsonPath("$.name").value("Deploy script"))
			.andExpect(jsonPath("$.client_id").value("personal-access-client"))
			.andExpect(jsonPath("$.client_name").value("Personal Access Client"))
			.andExpect(jsonPath("$.scopes[0]").value("api"))
			.andExpect(jsonPath("$.last_used_at").isEmpty())
			.andReturn();
		JsonNode created = json.readTree(result.getResponse().getContentAsString());
		String value = created.get("token").asString();
		long id = created.get("id").asLong();
		assertThat(value).matches("gtpat_[A-Za-z0-9_-]{43}");
		java.time.Duration lifetime = java.time.Duration.between(
				java.time.Instant.parse(created.get("created_at").asString()),
				java.time.Instant.parse(created.get("expires_at").asString()));
		assertThat(lifetime).isEqualTo(java.time.Duration.ofDays(90));

		String stored = jdbc.sql("select token_hash from personal_access_token where id = :id").param("id", id)
			.query(String.class).single();
		assertThat(stored).isEqualTo(Secrets.sha256(value)).hasSize(64).doesNotContain(value);

		bearer(get("/api/1.0/auth-clients"), value).andExpect(status().isOk());
		mvc.perform(get("/api/1.0/users/{u}/tokens/{t}", owner.id(), id).with(as(owner)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.token").doesNotExist())
			.andExpect(jsonPath("$.last_used_at").isNotEmpty())
			.andExpect(content().string(not(containsString(value))));
		mvc.perform(get("/api/1.0/users/{u}/tokens", owner.id()).with(as(owner)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data[0].id").value(id))
			.andExpect(jsonPath("$.data[0].token").doesNotExist())
			.andExpect(jsonPath("$.meta.total").value(1))
			.andExpect(content().string(not(containsString(value))));
		assertThat(jdbc.sql("select count(*) from audit_record where changes like :v or subject_name like :v")
			.param("v", "%" + value.substring(6) + "%").query(Long.class).single()).isZero();
		assertThat(output.getAll()).doesNotContain(value.substring(6));
	}

	@Test
	void bearerWhenTokenValidThenActsWithOwnersCurrentPermissionsAndRevokedTokenGets401AtOnce() throws Exception {
		User owner = TestAccounts.user().permissions(Permissions.VIEW_AUTH_CLIENTS).create(jdbc);
		JsonNode token = create(owner, Map.of("name", "lifecycle", "scopes", List.of("api")));
		String value = token.get("token").asString();

		bearer(get("/api/1.0/auth-clients"), value).andExpect(status().isOk())
			.andExpect(header().doesNotExist(HttpHeaders.SET_COOKIE));
		bearer(get("/api/1.0/users"), value).andExpect(status().isForbidden())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
		bearer(post("/api/1.0/auth-clients").contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\": \"x\", \"types\": [\"password_client\"]}"), value).andExpect(status().isForbidden());

		jdbc.sql("delete from account_permission where account_id = :id").param("id", owner.id()).update();
		bearer(get("/api/1.0/auth-clients"), value).andExpect(status().isForbidden());

		bearer(delete("/api/1.0/users/{u}/tokens/{t}", owner.id(), token.get("id").asLong()), value)
			.andExpect(status().isNoContent());
		bearer(get("/api/1.0/users/{u}/tokens", owner.id()), value)
			.andExpect(status().isUnauthorized())
			.andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, containsString("error=\"invalid_token\"")));
		mvc.perform(get("/api/1.0/users/{u}/tokens/{t}", owner.id(), token.get("id").asLong()).with(as(owner)))
			.andExpect(jsonPath("$.revoked_at").isNotEmpty());
	}

	@Test
	void createWhenScopesLeftOutOrNullThenTokenGetsTheApiScopeAndWorks() throws Exception {
		User owner = TestAccounts.user().permissions(Permissions.VIEW_AUTH_CLIENTS).create(jdbc);
		for (String body : List.of("{\"name\": \"ci\"}", "{\"name\": \"ci\", \"scopes\": null}")) {
			MvcResult result = postToken(owner, body)
				.andExpect(status().isCreated())
				.andExpect(jsonPath("$.scopes.length()").value(1))
				.andExpect(jsonPath("$.scopes[0]").value("api"))
				.andReturn();
			String value = json.readTree(result.getResponse().getContentAsString()).get("token").asString();
			bearer(get("/api/1.0/auth-clients"), value).andExpect(status().isOk());
		}
		assertThat(jdbc.sql("select scopes from personal_access_token where account_id = :id")
			.param("id", owner.id()).query(String.class).list()).containsExactly("api", "api");
	}

	@Test
	void bearerWhenWritingWithoutCsrfTokenThenAllowed() throws Exception {
		User owner = TestAccounts.user().permissions(Permissions.VIEW_AUTH_CLIENTS, Permissions.CREATE_AUTH_CLIENTS)
			.create(jdbc);
		String value = create(owner, Map.of("name", "writer", "scopes", List.of("api"))).get("token").asString();
		bearer(post("/api/1.0/auth-clients").contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\": \"" + java.util.UUID.randomUUID() + "\", \"types\": [\"password_client\"]}"), value)
			.andExpect(status().isCreated());
	}

	@Test
	void bearerWhenSuperAdminTokenThenEveryPermission() throws Exception {
		User owner = TestAccounts.user().superAdmin().create(jdbc);
		String value = create(owner, Map.of("name", "root", "scopes", List.of("api"))).get("token").asString();
		bearer(get("/api/1.0/users"), value).andExpect(status().isOk());
		bearer(get("/api/1.0/groups"), value).andExpect(status().isOk());
	}

	@Test
	void bearerWhenExpiredThen401InvalidToken() throws Exception {
		User owner = TestAccounts.user().permissions(Permissions.VIEW_AUTH_CLIENTS).create(jdbc);
		JsonNode token = create(owner, Map.of("name", "old", "scopes", List.of("api"), "expires_in_days", 30));
		String value = token.get("token").asString();
		bearer(get("/api/1.0/auth-clients"), value).andExpect(status().isOk());
		jdbc.sql("update personal_access_token set expires_at = :past where id = :id")
			.param("past", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusSeconds(1))
			.param("id", token.get("id").asLong())
			.update();
		bearer(get("/api/1.0/auth-clients"), value).andExpect(status().isUnauthorized())
			.andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, containsString("invalid_token")))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
	}

	@Test
	void bearerWhenClientLosesPersonalAccessGrantThen401() throws Exception {
		User owner = TestAccounts.user().permissions(Permissions.VIEW_AUTH_CLIENTS).create(jdbc);
		String client = TestAuthClients.client().create(jdbc);
		JsonNode token = create(owner, Map.of("name", "via client", "scopes", List.of("api"), "client_id", client));
		assertThat(token.get("client_id").asString()).isEqualTo(client);
		String value = token.get("token").asString();
		bearer(get("/api/1.0/auth-clients"), value).andExpect(status().isOk());
		TestAuthClients.disablePersonalAccess(jdbc, client);
		bearer(get("/api/1.0/auth-clients"), value).andExpect(status().isUnauthorized());
	}

	@Test
	void bearerWhenClientDeletedThen401() throws Exception {
		User owner = TestAccounts.user().permissions(Permissions.VIEW_AUTH_CLIENTS).create(jdbc);
		String client = TestAuthClients.client().create(jdbc);
		String value = create(owner, Map.of("name", "doomed", "scopes", List.of("api"), "client_id", client))
			.get("token").asString();
		bearer(get("/api/1.0/auth-clients"), value).andExpect(status().isOk());
		TestAuthClients.delete(jdbc, client);
		bearer(get("/api/1.0/auth-clients"), value).andExpect(status().isUnauthorized());
	}

	@Test
	void bearerWhenOwnerDeactivatedThen401() throws Exception {
		User owner = TestAccounts.user().permissions(Permissions.VIEW_AUTH_CLIENTS).create(jdbc);
		String value = create(owner, Map.of("name", "leaver", "scopes", List.of("api"))).get("token").asString();
		bearer(get("/api/1.0/auth-clients"), value).andExpect(status().isOk());
		jdbc.sql("update account set active = false where id = :id").param("id", owner.id()).update();
		bearer(get("/api/1.0/auth-clients"), value).andExpect(status().isUnauthorized());
	}

	@Test
	void bearerWhenUnknownOrForeignTokenThen401InvalidTokenWithProblemBody() throws Exception {
		for (String value : List.of("gtpat_" + "A".repeat(43), "not-a-gatehouse-token", "gtcs_abc")) {
			bearer(get("/api/1.0/auth-clients"), value).andExpect(status().isUnauthorized())
				.andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, containsString("error=\"invalid_token\"")))
				.andExpect(jsonPath("$.status").value(401));
		}
	}

	@Test
	void requestWhenNoCredentialsThen401ProblemWithBearerChallenge() throws Exception {
		mvc.perform(get("/api/1.0/auth-clients"))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer"))
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value("Authentication is required."));
	}

	@Test
	void sessionWriteWhenCsrfTokenMissingThenStill403() throws Exception {
		User owner = TestAccounts.user().create(jdbc);
		mvc.perform(post("/api/1.0/users/{id}/tokens", owner.id()).with(as(owner))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\": \"x\", \"scopes\": [\"api\"]}"))
			.andExpect(status().isForbidden());
		assertThat(tokenCount(owner)).isZero();
	}

	@Test
	void createWhenInvalidThen422WithErrorsAndNothingWritten() throws Exception {
		User owner = TestAccounts.user().create(jdbc);
		String notPat = TestAuthClients.client().withoutPersonalAccess().create(jdbc);
		postToken(owner, "{\"name\": \" \", \"scopes\": [\"admin\"], \"client_id\": \"" + notPat
				+ "\", \"expires_in_days\": 366}")
			.andExpect(status().isUnprocessableContent())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.errors.name[0]").value("The Name field is required."))
			.andExpect(jsonPath("$.errors.scopes[0]").value("The selected scope \"admin\" is invalid."))
			.andExpect(jsonPath("$.errors.client_id[0]").value(containsString("does not allow personal access")))
			.andExpect(jsonPath("$.errors.expires_in_days[0]").value(containsString("between 1 and 365")));
		postToken(owner, "{\"name\": \"" + "n".repeat(256) + "\", \"scopes\": []}")
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.name[0]").value(containsString("255")))
			.andExpect(jsonPath("$.errors.scopes[0]").value("The Scopes field is required."));
		postToken(owner,
				"{\"name\": \"x\", \"scopes\": [\"api\"], \"client_id\": \"no-such-client\", \"expires_in_days\": 0}")
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.client_id").exists())
			.andExpect(jsonPath("$.errors.expires_in_days").exists());
		assertThat(tokenCount(owner)).isZero();
	}

	@Test
	void createWhenNameHasControlCharacterOrLoneSurrogateThen422AndNothingWritten() throws Exception {
		User owner = TestAccounts.user().create(jdbc);
		for (String name : List.of("ci\u0000job", "ci\u202ejob", "ci\u001b[1mjob", "\u200b")) {
			postToken(owner, json.writeValueAsString(Map.of("name", name)))
				.andExpect(status().isUnprocessableContent())
				.andExpect(jsonPath("$.errors.name[0]").value("The Name must not contain control characters."));
		}
		postToken(owner, "{\"name\": \"ci\\udc00\"}")
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.name[0]").value("The Name must be valid Unicode text."));
		assertThat(tokenCount(owner)).isZero();
	}

	@Test
	void createWhenClientIdHasControlCharacterThen422Not500() throws Exception {
		User owner = TestAccounts.user().create(jdbc);

		// PostgreSQL refuses a NUL in any text parameter; the client id must never get that far
		postToken(owner, "{\"name\": \"x\", \"client_id\": \"personal\\u0000client\"}")
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.client_id[0]").value(containsString("does not exist")));
		assertThat(tokenCount(owner)).isZero();
	}

	@Test
	void createWhenBodyMalformedThen400() throws Exception {
		User owner = TestAccounts.user().create(jdbc);
		postToken(owner, "{\"name\": ").andExpect(status().isBadRequest());
		postToken(owner, "{\"name\": \"x\", \"scopes\": [\"api\"], \"expires_in_days\": \"soon\"}")
			.andExpect(status().isBadRequest());
		mvc.perform(get("/api/1.0/users/abc/tokens").with(as(owner))).andExpect(status().isBadRequest());
		assertThat(tokenCount(owner)).isZero();
	}

	@Test
	void createWhenExpiryChosenThenExpiresThen() throws Exception {
		User owner = TestAccounts.user().create(jdbc);
		JsonNode token = create(owner, Map.of("name", "year", "scopes", List.of("api"), "expires_in_days", 365));
		assertThat(java.time.Duration.between(java.time.Instant.parse(token.get("created_at").asString()),
				java.time.Instant.parse(token.get("expires_at").asString()))).isEqualTo(java.time.Duration.ofDays(365));
	}

	@Test
	void anotherUsersTokensWhenPermissionMatrixThenOnlyViewersListAndEditorsRevokeAndNobodyCreates() throws Exception {
		User owner = TestAccounts.user().create(jdbc);
		long tokenId = create(owner, Map.of("name", "owned", "scopes", List.of("api"))).get("id").asLong();
		User nobody = TestAccounts.user().permissions(Permissions.VIEW_AUTH_CLIENTS, Permissions.EDIT_USERS)
			.create(jdbc);
		User viewer = TestAccounts.user().permissions(Permissions.VIEW_USERS).create(jdbc);
		User editor = TestAccounts.user().permissionsThroughGroup(Permissions.VIEW_USERS, Permissions.EDIT_USERS)
			.create(jdbc);
		User root = TestAccounts.user().superAdmin().create(jdbc);

		mvc.perform(get("/api/1.0/users/{u}/tokens", owner.id()).with(as(nobody))).andExpect(status().isForbidden());
		mvc.perform(get("/api/1.0/users/{u}/tokens/{t}", owner.id(), tokenId).with(as(nobody)))
			.andExpect(status().isForbidden());
		mvc.perform(get("/api/1.0/users/{u}/tokens", owner.id()).with(as(viewer)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data[0].id").value(tokenId));
		mvc.perform(get("/api/1.0/users/{u}/tokens/{t}", owner.id(), tokenId).with(as(viewer)))
			.andExpect(status().isOk());
		mvc.perform(delete("/api/1.0/users/{u}/tokens/{t}", owner.id(), tokenId).with(as(nobody)).with(csrf()))
			.andExpect(status().isForbidden());
		mvc.perform(delete("/api/1.0/users/{u}/tokens/{t}", owner.id(), tokenId).with(as(viewer)).with(csrf()))
			.andExpect(status().isForbidden());
		for (User actor : List.of(nobody, viewer, editor, root)) {
			mvc.perform(post("/api/1.0/users/{u}/tokens", owner.id()).with(as(actor)).with(csrf())
				.contentType(MediaType.APPLICATION_JSON)
				.content("{\"name\": \"impersonate\", \"scopes\": [\"api\"]}"))
				.andExpect(status().isForbidden());
		}
		assertThat(tokenCount(owner)).isEqualTo(1);
		assertThat(activeTokenCount(owner)).isEqualTo(1);
		mvc.perform(delete("/api/1.0/users/{u}/tokens/{t}", owner.id(), tokenId).with(as(editor)).with(csrf()))
			.andExpect(status().isNoContent());
		assertThat(activeTokenCount(owner)).isZero();
	}

	@Test
	void readWhenUnknownUserOrTokenOrSomeoneElsesTokenThen404() throws Exception {
		User owner = TestAccounts.user().create(jdbc);
		User other = TestAccounts.user().create(jdbc);
		long othersToken = create(other, Map.of("name", "theirs", "scopes", List.of("api"))).get("id").asLong();
		User viewer = TestAccounts.user().permissions(Permissions.VIEW_USERS, Permissions.EDIT_USERS).create(jdbc);

		mvc.perform(get("/api/1.0/users/{u}/tokens", 987654321L).with(as(viewer))).andExpect(status().isNotFound());
		mvc.perform(get("/api/1.0/users/{u}/tokens/{t}", owner.id(), 987654321L).with(as(owner)))
			.andExpect(status().isNotFound());
		mvc.perform(get("/api/1.0/users/{u}/tokens/{t}", owner.id(), othersToken).with(as(owner)))
			.andExpect(status().isNotFound());
		mvc.perform(delete("/api/1.0/users/{u}/tokens/{t}", owner.id(), othersToken).with(as(owner)).with(csrf()))
			.andExpect(status().isNotFound());
		assertThat(activeTokenCount(other)).isEqualTo(1);
	}

	@Test
	void openApiDocumentWhenAnonymousThenDescribesTokenEndpoints() throws Exception {
		mvc.perform(get("/api/documentation/openapi.json"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.paths['/api/1.0/users/{user_id}/tokens'].get").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/users/{user_id}/tokens'].post").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/users/{user_id}/tokens/{token_id}'].get").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/users/{user_id}/tokens/{token_id}'].delete").exists())
			.andExpect(jsonPath("$.components.schemas.PersonalAccessTokenRequest.properties.expires_in_days").exists());
	}

	private JsonNode create(User owner, Map<String, Object> body) throws Exception {
		MvcResult result = postToken(owner, json.writeValueAsString(body)).andExpect(status().isCreated()).andReturn();
		return json.readTree(result.getResponse().getContentAsString());
	}

	private ResultActions postToken(User owner, String body) throws Exception {
		return mvc.perform(post("/api/1.0/users/{id}/tokens", owner.id()).with(as(owner)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content(body));
	}

	private ResultActions bearer(MockHttpServletRequestBuilder request, String value) throws Exception {
		return mvc.perform(request.header(HttpHeaders.AUTHORIZATION, "Bearer " + value));
	}

	private long tokenCount(User owner) {
		return jdbc.sql("select count(*) from personal_access_token where account_id = :id").param("id", owner.id())
			.query(Long.class).single();
	}

	private long activeTokenCount(User owner) {
		return jdbc.sql("select count(*) from personal_access_token where account_id = :id and revoked_at is null")
			.param("id", owner.id()).query(Long.class).single();
	}

}
