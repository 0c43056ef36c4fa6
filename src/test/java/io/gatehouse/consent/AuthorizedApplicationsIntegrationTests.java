package io.gatehouse.consent;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.util.UriComponentsBuilder;

import static io.gatehouse.support.TestAccounts.as;
import static io.gatehouse.support.OAuthRequests.challenge;
import static io.gatehouse.support.OAuthRequests.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** "Authorized applications": listing a user's consents and withdrawing them, on the profile and in the REST API. */
@GatehouseIntegrationTest
class AuthorizedApplicationsIntegrationTests {

	static final String REDIRECT = "https://app.example.com/callback";

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

	final String verifier = "verifier-" + UUID.randomUUID() + UUID.randomUUID();

	@BeforeEach
	void setUp() {
		client = codeClient("Billing");
		user = TestAccounts.user().username("ada-" + UUID.randomUUID()).create(jdbc);
	}

	@Test
	void listWhenUserConsentedThenOnlyOwnApplicationsWithScopesInWords() throws Exception {
		codeFlow(user, client, "api profile");
		User other = TestAccounts.user().username("bob-" + UUID.randomUUID()).create(jdbc);
		IssuedSecret othersClient = codeClient("Reports");
		codeFlow(other, othersClient, "api");

		Document page = Jsoup.parse(mvc.perform(get("/profile/applications").with(as(user)))
			.andExpect(status().isOk()).andReturn().getResponse().getContentAsString());

		assertThat(page.select(".application-name").eachText()).containsExactly(client.client().name());
		assertThat(page.select(".application-scopes li").eachText()).containsExactly(
				ConsentController.DESCRIPTIONS.get("api"), ConsentController.DESCRIPTIONS.get("profile"));
		assertThat(page.select(".application-granted").text()).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d");
		assertThat(page.select("form[data-confirm]").attr("data-confirm")).contains(client.client().name());
		assertThat(page.select("form[data-confirm]").attr("action"))
			.isEqualTo("/profile/applications/" + client.client().id() + "/withdraw");
	}

	@Test
	void profileWhenSignedInThenLinksToAuthorizedApplications() throws Exception {
		Document page = Jsoup.parse(mvc.perform(get("/profile").with(as(user))).andReturn().getResponse()
			.getContentAsString());
		assertThat(page.select("a#authorized-applications").attr("href")).isEqualTo("/profile/applications");
	}

	@Test
	void withdrawWhenConsoleFormPostedThenTokensStopAndConsentIsAskedAgain() throws Exception {
		JsonNode tokens = codeFlow(user, client, "api");
		bearer(user, tokens).andExpect(status().isOk());

		mvc.perform(post("/profile/applications/{id}/withdraw", client.client().id()).with(as(user)).with(csrf()))
			.andExpect(redirectedUrl("/profile/applications"))
			.andExpect(flash().attribute("flash", "Access for " + client.client().name() + " was withdrawn."));

		refresh(client, tokens).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("invalid_grant"));
		bearer(user, tokens).andExpect(status().isUnauthorized());
		assertThat(authorize(user, client, "api").getRedirectedUrl()).contains("/oauth/consent?");
		Document page = Jsoup.parse(mvc.perform(get("/profile/applications").with(as(user))).andReturn().getResponse()
			.getContentAsString());
		assertThat(page.select("#no-applications")).isNotEmpty();
	}

	@Test
	void withdrawWhenAnotherUserConsentedToSameClientThenTheirTokensKeepWorking() throws Exception {
		JsonNode mine = codeFlow(user, client, "api");
		User other = TestAccounts.user().username("bob-" + UUID.randomUUID()).create(jdbc);
		JsonNode theirs = codeFlow(other, client, "api");

		mvc.perform(post("/profile/applications/{id}/withdraw", client.client().id()).with(as(user)).with(csrf()))
			.andExpect(status().is3xxRedirection());

		bearer(user, mine).andExpect(status().isUnauthorized());
		bearer(other, theirs).andExpect(status().isOk());
		refresh(client, theirs).andExpect(status().isOk());
		assertThat(authorize(other, client, "api").getRedirectedUrl()).startsWith(REDIRECT + "?code=");
	}

	@Test
	void withdrawWhenNoCsrfTokenThenForbiddenAndAccessKept() throws Exception {
		JsonNode tokens = codeFlow(user, client, "api");
		mvc.perform(post("/profile/applications/{id}/withdraw", client.client().id()).with(as(user)))
			.andExpect(status().isForbidden());
		bearer(user, tokens).andExpect(status().isOk());
		assertThat(authorize(user, client, "api").getRedirectedUrl()).startsWith(REDIRECT + "?code=");
	}

	@Test
	void withdrawWhenNotConsentedThenNotFound() throws Exception {
		mvc.perform(post("/profile/applications/{id}/withdraw", client.client().id()).with(as(user)).with(csrf()))
			.andExpect(status().isNotFound());
	}

	@Test
	void listApiWhenOwnThenApplications() throws Exception {
		codeFlow(user, client, "api email");
		mvc.perform(get("/api/1.0/users/{id}/applications", user.id()).with(as(user)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data.length()").value(1))
			.andExpect(jsonPath("$.data[0].client_id").value(client.client().id()))
			.andExpect(jsonPath("$.data[0].client_name").value(client.client().name()))
			.andExpect(jsonPath("$.data[0].scopes[0]").value("api"))
			.andExpect(jsonPath("$.data[0].scopes[1]").value("email"))
			.andExpect(jsonPath("$.data[0].granted_at").isNotEmpty());
	}

	@Test
	void listApiWhenAnotherUsersThenNeedsViewUsers() throws Exception {
		codeFlow(user, client, "api");
		User stranger = TestAccounts.user().create(jdbc);
		User viewer = TestAccounts.user().permissions(Permissions.VIEW_USERS).create(jdbc);
		mvc.perform(get("/api/1.0/users/{id}/applications", user.id()).with(as(stranger)))
			.andExpect(status().isForbidden());
		mvc.perform(get("/api/1.0/users/{id}/applications", user.id()).with(as(viewer)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data[0].client_id").value(client.client().id()));
	}

	@Test
	void withdrawApiWhenAnotherUsersWithoutEditUsersThenForbiddenAndAccessKept() throws Exception {
		JsonNode tokens = codeFlow(user, client, "api");
		User viewer = TestAccounts.user().permissions(Permissions.VIEW_USERS).create(jdbc);
		mvc.perform(delete("/api/1.0/users/{id}/applications/{client}", user.id(), client.client().id())
			.with(as(viewer)).with(csrf())).andExpect(status().isForbidden());
		bearer(user, tokens).andExpect(status().isOk());
		assertThat(authorize(user, client, "api").getRedirectedUrl()).startsWith(REDIRECT + "?code=");
	}

	@Test
	void withdrawApiWhenAnotherUsersWithViewAndEditUsersThenWithdrawn() throws Exception {
		JsonNode tokens = codeFlow(user, client, "api");
		User editor = TestAccounts.user().permissions(Permissions.VIEW_USERS, Permissions.EDIT_USERS).create(jdbc);
		mvc.perform(delete("/api/1.0/users/{id}/applications/{client}", user.id(), client.client().id())
			.with(as(editor)).with(csrf())).andExpect(status().isNoContent());
		bearer(user, tokens).andExpect(status().isUnauthorized());
		refresh(client, tokens).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("invalid_grant"));
		assertThat(authorize(user, client, "api").getRedirectedUrl()).contains("/oauth/consent?");
	}

	@Test
	void withdrawApiWhenOwnWithAccessTokenThenNoContentThenNotFound() throws Exception {
		JsonNode tokens = codeFlow(user, client, "api");
		IssuedSecret second = codeClient("Calendar");
		JsonNode secondTokens = codeFlow(user, second, "api");
		mvc.perform(delete("/api/1.0/users/{id}/applications/{client}", user.id(), client.client().id())
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + secondTokens.get("access_token").asString()))
			.andExpect(status().isNoContent());
		bearer(user, tokens).andExpect(status().isUnauthorized());
		bearer(user, secondTokens).andExpect(status().isOk());
		mvc.perform(delete("/api/1.0/users/{id}/applications/{client}", user.id(), client.client().id())
			.with(as(user)).with(csrf())).andExpect(status().isNotFound());
	}

	private IssuedSecret codeClient(String name) {
		return clients.create(new AuthClientDraft(name + " " + UUID.randomUUID(), Set.of(GrantType.AUTHORIZATION_CODE),
				List.of(REDIRECT)));
	}

	/** Authorization request, consent page, approval and code exchange, as a browser and its client do them. */
	private JsonNode codeFlow(User who, IssuedSecret app, String scope) throws Exception {
		MockHttpServletResponse authorize = authorize(who, app, scope);
		assertThat(authorize.getRedirectedUrl()).contains("/oauth/consent?");
		Document page = Jsoup.parse(mvc.perform(get(URI.create(authorize.getRedirectedUrl())).with(as(who)))
			.andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
		MockHttpServletRequestBuilder consent = post("/oauth/authorize").with(as(who)).with(csrf())
			.param("client_id", app.client().id())
			.param("state", page.select("input[name=state]").val());
		for (String each : scope.split(" ")) {
			consent.param("scope", each);
		}
		MockHttpServletResponse approved = mvc.perform(consent).andReturn().getResponse();
		assertThat(approved.getRedirectedUrl()).startsWith(REDIRECT + "?");
		String code = UriComponentsBuilder.fromUriString(approved.getRedirectedUrl()).build().getQueryParams()
			.getFirst("code");
		String body = mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(app.client().id(), app.secret()))
			.param("grant_type", "authorization_code")
			.param("code", URLDecoder.decode(code, StandardCharsets.UTF_8))
			.param("redirect_uri", REDIRECT)
			.param("code_verifier", verifier)).andExpect(status().isOk()).andReturn().getResponse()
			.getContentAsString();
		JsonNode tokens = json.readTree(body);
		assertThat(tokens.get("refresh_token").asString()).isNotBlank();
		return tokens;
	}

	private MockHttpServletResponse authorize(User who, IssuedSecret app, String scope) throws Exception {
		MockHttpServletResponse response = mvc.perform(get("/oauth/authorize").with(as(who))
			.queryParam("response_type", "code")
			.queryParam("client_id", app.client().id())
			.queryParam("redirect_uri", REDIRECT)
			.queryParam("scope", scope)
			.queryParam("state", "client-state")
			.queryParam("code_challenge", challenge(verifier))
			.queryParam("code_challenge_method", "S256")).andReturn().getResponse();
		assertThat(response.getStatus()).isEqualTo(302);
		return response;
	}

	/** An API read with the access token, of the token's own user (so only the token can fail it). */
	private ResultActions bearer(User who, JsonNode tokens) throws Exception {
		return mvc.perform(get("/api/1.0/users/{id}/applications", who.id())
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.get("access_token").asString()));
	}

	private ResultActions refresh(IssuedSecret app, JsonNode tokens) throws Exception {
		return mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(app.client().id(), app.secret()))
			.param("grant_type", "refresh_token")
			.param("refresh_token", tokens.get("refresh_token").asString()));
	}

}
