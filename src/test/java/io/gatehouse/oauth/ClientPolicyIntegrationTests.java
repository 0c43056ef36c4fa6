package io.gatehouse.oauth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.ClientPolicy;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.util.UriComponentsBuilder;

import static io.gatehouse.support.OAuthRequests.basic;
import static io.gatehouse.support.OAuthRequests.challenge;
import static io.gatehouse.support.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Per-client token lifetimes, allowed scopes and skip consent, through the API, the console and the endpoints. */
@GatehouseIntegrationTest
class ClientPolicyIntegrationTests {

	static final String REDIRECT = "https://first-party.example.com/callback";

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Autowired
	AuthClientService clients;

	User admin;

	User user;

	String verifier = "verifier-" + UUID.randomUUID() + UUID.randomUUID();

	@BeforeEach
	void setUp() {
		admin = TestAccounts.user().superAdmin().create(jdbc);
		user = TestAccounts.user().username("grace-" + UUID.randomUUID()).create(jdbc);
	}

	@Test
	void createWhenPolicyGivenThen201AndShownAndStored() throws Exception {
		Map<String, Object> body = new HashMap<>(Map.of("name", unique("Tuned"), "types",
				List.of("client_credentials"), "access_token_lifetime", 120, "refresh_token_lifetime", 3600,
				"scopes", List.of("api", "profile")));
		JsonNode created = api(post("/api/1.0/auth-clients"), body, 201);
		assertThat(created.get("access_token_lifetime").asLong()).isEqualTo(120);
		assertThat(created.get("refresh_token_lifetime").asLong()).isEqualTo(3600);
		assertThat(created.get("scopes").toString()).isEqualTo("[\"api\",\"profile\"]");
		assertThat(created.get("skip_consent").asBoolean()).isFalse();

		String id = created.get("id").asString();
		mvc.perform(get("/api/1.0/auth-clients/{id}", id).with(as(admin)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.access_token_lifetime").value(120))
			.andExpect(jsonPath("$.scopes[1]").value("profile"));
		assertThat(jdbc.sql("select allowed_scopes from auth_client where id = :id").param("id", id)
			.query(String.class).single()).isEqualTo("api profile");
	}

	@Test
	void createWhenPolicyLeftOutThenNullsMeaningServerDefaults() throws Exception {
		JsonNode created = api(post("/api/1.0/auth-clients"), Map.of("name", unique("Plain"), "types",
				List.of("client_credentials")), 201);
		assertThat(created.get("access_token_lifetime").isNull()).isTrue();
		assertThat(created.get("refresh_token_lifetime").isNull()).isTrue();
		assertThat(created.get("scopes").isNull()).isTrue();
	}

	@Test
	void createWhenLifetimeOutOfBoundsOrScopeUnknownThen422NamingFieldAndNothingWritten() throws Exception {
		String name = unique("Out of bounds");
		Map<String, Object> body = new HashMap<>(Map.of("name", name, "types", List.of("client_credentials"),
				"access_token_lifetime", 59, "refresh_token_lifetime", 91L * 24 * 3600,
				"scopes", List.of("api", "admin"), "skip_consent", true));
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(body)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.access_token_lifetime[0]")
				.value("The access token lifetime must be between 60 and 86400 seconds."))
			.andExpect(jsonPath("$.errors.refresh_token_lifetime[0]")
				.value("The refresh token lifetime must be between 300 and 7776000 seconds."))
			.andExpect(jsonPath("$.errors.scopes[0]").value("The Scopes may only be: api, email, openid, profile."))
			.andExpect(jsonPath("$.errors.skip_consent[0]")
				.value("Consent is asked only in the authorization code grant."));
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("name", name,
					"types", List.of("client_credentials"), "access_token_lifetime", "soon"))))
			.andExpect(status().isBadRequest());
		assertThat(jdbc.sql("select count(*) from auth_client where name = :name").param("name", name)
			.query(Long.class).single()).isZero();
	}

	@Test
	void clientCredentialsWhenLifetimeSetThenTokenExpiresAfterIt() throws Exception {
		IssuedSecret client = clients.create(draft(Set.of(GrantType.CLIENT_CREDENTIALS),
				new ClientPolicy(Duration.ofSeconds(90), null, null, false)));
		JsonNode token = token(client, "grant_type", "client_credentials");
		assertThat(token.get("expires_in").asLong()).isBetween(88L, 90L);
		var claims = SignedJWT.parse(token.get("access_token").asString()).getJWTClaimsSet();
		assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(90_000);
	}

	@Test
	void clientCredentialsWhenLifetimeChangedThenNextTokenFollows() throws Exception {
		IssuedSecret client = clients.create(draft(Set.of(GrantType.CLIENT_CREDENTIALS), ClientPolicy.DEFAULT));
		assertThat(token(client, "grant_type", "client_credentials").get("expires_in").asLong()).isGreaterThan(500);
		JsonNode current = api(get("/api/1.0/auth-clients/" + client.client().id()), null, 200);
		Map<String, Object> body = new HashMap<>(Map.of("name", current.get("name").asString(), "types",
				List.of("client_credentials"), "access_token_lifetime", 300));
		api(put("/api/1.0/auth-clients/" + client.client().id()), body, 200);
		assertThat(token(client, "grant_type", "client_credentials").get("expires_in").asLong()).isBetween(298L, 300L);
	}

	@Test
	void tokenWhenScopeOutsideClientsListThenInvalidScope() throws Exception {
		IssuedSecret client = clients.create(draft(Set.of(GrantType.CLIENT_CREDENTIALS, GrantType.PASSWORD),
				new ClientPolicy(null, null, Set.of("profile"), false)));
		mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "client_credentials").param("scope", "api"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("invalid_scope"));
		mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "password").param("username", user.username())
			.param("password", TestAccounts.PASSWORD).param("scope", "api"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("invalid_scope"));
		mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "client_credentials").param("scope", "profile"))
			.andExpect(status().isOk());
	}

	@Test
	void authorizeWhenScopeOutsideClientsListThenRedirectWithInvalidScope() throws Exception {
		IssuedSecret client = clients.create(draft(Set.of(GrantType.AUTHORIZATION_CODE),
				new ClientPolicy(null, null, Set.of("openid", "profile"), false)));
		MockHttpServletResponse response = authorize(client, "openid api").andReturn().getResponse();
		assertThat(response.getStatus()).isEqualTo(302);
		assertThat(response.getRedirectedUrl()).startsWith(REDIRECT + "?error=invalid_scope");
	}

	@Test
	void authorizeWhenSkipConsentThenCodeAtOnceRecordedAsConsentedAndWithdrawable() throws Exception {
		IssuedSecret client = clients.create(draft(Set.of(GrantType.AUTHORIZATION_CODE),
				new ClientPolicy(null, Duration.ofHours(2), null, true)));
		MockHttpServletResponse response = authorize(client, "openid api").andReturn().getResponse();
		assertThat(response.getStatus()).isEqualTo(302);
		assertThat(response.getRedirectedUrl()).startsWith(REDIRECT + "?code=");
		Map<String, String> query = UriComponentsBuilder.fromUri(URI.create(response.getRedirectedUrl())).build()
			.getQueryParams().toSingleValueMap();
		String code = java.net.URLDecoder.decode(query.get("code"), StandardCharsets.UTF_8);

		JsonNode tokens = token(client, "grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
				"code_verifier", verifier);
		String refreshHash = io.gatehouse.secrets.Secrets.sha256(tokens.get("refresh_token").asString());
		Duration refreshLife = jdbc.sql("select issued_at, expires_at from oauth_token where token_hash = :hash")
			.param("hash", refreshHash)
			.query((rs, row) -> Duration.between(rs.getObject(1, java.time.OffsetDateTime.class),
					rs.getObject(2, java.time.OffsetDateTime.class)))
			.single();
		assertThat(refreshLife).isEqualTo(Duration.ofHours(2));

		Document apps = Jsoup.parse(mvc.perform(get("/profile/applications").with(as(user)))
			.andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
		assertThat(apps.select(".application-name").eachText()).containsExactly(client.client().name());

		mvc.perform(post("/profile/applications/{id}/withdraw", client.client().id()).with(as(user)).with(csrf()))
			.andExpect(redirectedUrl("/profile/applications"));
		mvc.perform(get("/api/1.0/auth-clients").header(HttpHeaders.AUTHORIZATION,
				"Bearer " + tokens.get("access_token").asString())).andExpect(status().isUnauthorized());
	}

	@Test
	void authorizeWhenSkipConsentOffThenConsentPageAsBefore() throws Exception {
		IssuedSecret client = clients.create(draft(Set.of(GrantType.AUTHORIZATION_CODE), ClientPolicy.DEFAULT));
		MockHttpServletResponse response = authorize(client, "openid api").andReturn().getResponse();
		assertThat(response.getStatus()).isEqualTo(302);
		assertThat(response.getRedirectedUrl()).contains("/oauth/consent?");
	}

	@Test
	void updateWhenSkipConsentTurnedOnThenAuditedWithTheChange() throws Exception {
		IssuedSecret client = clients.create(draft(Set.of(GrantType.AUTHORIZATION_CODE), ClientPolicy.DEFAULT));
		clients.update(client.client().id(), null, new AuthClientDraft(client.client().name(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of(REDIRECT), false, false, false, List.of(), false,
				new ClientPolicy(null, null, Set.of("openid"), true)));
		String changes = jdbc.sql("""
				select changes from audit_record where subject_id = :id and action = 'updated'
				""").param("id", client.client().id()).query(String.class).single();
		assertThat(changes).contains("skip_consent").contains("scopes");
	}

	@Test
	void consoleWhenPolicyEnteredThenSavedAndShownOnEdit() throws Exception {
		String name = unique("Console tuned");
		mvc.perform(post("/admin/auth-clients").with(as(admin)).with(csrf())
			.param("name", name).param(GrantType.AUTHORIZATION_CODE.formField(), "true")
			.param("redirect", REDIRECT).param("accessTokenLifetime", "600").param("refreshTokenLifetime", "")
			.param("scopes", "openid  profile").param("skipConsent", "true"))
			.andExpect(status().isOk());
		String id = jdbc.sql("select id from auth_client where name = :name").param("name", name)
			.query(String.class).single();
		ClientPolicy stored = clients.get(id).policy();
		assertThat(stored).isEqualTo(new ClientPolicy(Duration.ofMinutes(10), null, Set.of("openid", "profile"),
				true));
		Document edit = Jsoup.parse(mvc.perform(get("/admin/auth-clients/{id}/edit", id).with(as(admin)))
			.andReturn().getResponse().getContentAsString());
		assertThat(edit.select("#accessTokenLifetime").val()).isEqualTo("600");
		assertThat(edit.select("#scopes").val()).isEqualTo("openid profile");
		assertThat(edit.select("#skipConsent1").hasAttr("checked")).isTrue();
	}

	@Test
	void consoleWhenLifetimeNotANumberThen422WithFieldError() throws Exception {
		String name = unique("Console bad");
		Document page = Jsoup.parse(mvc.perform(post("/admin/auth-clients").with(as(admin)).with(csrf())
			.param("name", name).param(GrantType.CLIENT_CREDENTIALS.formField(), "true")
			.param("accessTokenLifetime", "ten minutes"))
			.andExpect(status().isUnprocessableContent()).andReturn().getResponse().getContentAsString());
		assertThat(page.select("#access-lifetime-errors").text())
			.contains("The access token lifetime must be between 60 and 86400 seconds.");
		assertThat(jdbc.sql("select count(*) from auth_client where name = :name").param("name", name)
			.query(Long.class).single()).isZero();
	}

	private AuthClientDraft draft(Set<GrantType> grants, ClientPolicy policy) {
		return new AuthClientDraft(unique("Policy"), grants,
				grants.contains(GrantType.AUTHORIZATION_CODE) ? List.of(REDIRECT) : List.of(), false, false, false,
				List.of(), false, policy);
	}

	private org.springframework.test.web.servlet.ResultActions authorize(IssuedSecret client, String scope)
			throws Exception {
		return mvc.perform(get("/oauth/authorize").with(as(user))
			.queryParam("response_type", "code")
			.queryParam("client_id", client.client().id())
			.queryParam("scope", scope)
			.queryParam("redirect_uri", REDIRECT)
			.queryParam("state", "s")
			.queryParam("code_challenge", challenge(verifier))
			.queryParam("code_challenge_method", "S256"));
	}

	private JsonNode token(IssuedSecret client, String... parameters) throws Exception {
		var request = post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()));
		for (int i = 0; i < parameters.length; i += 2) {
			request.param(parameters[i], parameters[i + 1]);
		}
		MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();
		assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
		return json.readTree(response.getContentAsString());
	}

	private JsonNode api(org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request,
			Map<String, Object> body, int expectedStatus) throws Exception {
		request.with(as(admin)).with(csrf());
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(body));
		}
		MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();
		assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(expectedStatus);
		return json.readTree(response.getContentAsString());
	}

	private static String unique(String name) {
		return name + " " + UUID.randomUUID();
	}

}
