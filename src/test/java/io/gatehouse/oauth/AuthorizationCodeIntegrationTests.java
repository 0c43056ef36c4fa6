package io.gatehouse.oauth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jwt.SignedJWT;
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
import org.jspecify.annotations.Nullable;
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
import static io.gatehouse.support.OAuthRequests.basic;
import static io.gatehouse.support.OAuthRequests.challenge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@GatehouseIntegrationTest
class AuthorizationCodeIntegrationTests {

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

	String verifier = "verifier-" + UUID.randomUUID() + UUID.randomUUID();

	@BeforeEach
	void setUp() {
		client = clients.create(new AuthClientDraft("Web app " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of(REDIRECT, "http://127.0.0.1:8400/cb")));
		user = TestAccounts.user().username("ada-" + UUID.randomUUID()).name("Ada", "Lovelace").email("ada@example.com")
			.permissions(Permissions.VIEW_AUTH_CLIENTS).create(jdbc);
	}

	@Test
	void codeFlowWhenConsentGivenThenTokensWithIdTokenAndUserinfo() throws Exception {
		String code = authorizeWithConsent("api openid profile email");
		JsonNode tokens = exchange(code, verifier).andExpect(status().isOk()).andReturnJson();

		SignedJWT access = SignedJWT.parse(tokens.get("access_token").asString());
		assertThat(access.getHeader().getType().toString()).isEqualTo("at+jwt");
		assertThat(access.getJWTClaimsSet().getSubject()).isEqualTo(String.valueOf(user.id()));
		assertThat(access.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("api email openid profile");
		SignedJWT id = SignedJWT.parse(tokens.get("id_token").asString());
		assertThat(id.getJWTClaimsSet().getAudience()).containsExactly(client.client().id());
		assertThat(id.getJWTClaimsSet().getStringClaim("name")).isEqualTo("Ada Lovelace");
		assertThat(id.getJWTClaimsSet().getStringClaim("email")).isEqualTo("ada@example.com");

		String bearer = "Bearer " + tokens.get("access_token").asString();
		mvc.perform(get("/userinfo").header(HttpHeaders.AUTHORIZATION, bearer))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.sub").value(String.valueOf(user.id())))
			.andExpect(jsonPath("$.email").value("ada@example.com"));
		mvc.perform(get("/api/1.0/auth-clients").header(HttpHeaders.AUTHORIZATION, bearer)).andExpect(status().isOk());
	}

	@Test
	void apiWhenTokenWithoutApiScopeThen403InsufficientScope() throws Exception {
		String code = authorizeWithConsent("openid profile");
		JsonNode tokens = exchange(code, verifier).andExpect(status().isOk()).andReturnJson();
		mvc.perform(get("/api/1.0/auth-clients").header(HttpHeaders.AUTHORIZATION,
				"Bearer " + tokens.get("access_token").asString()))
			.andExpect(status().isForbidden())
			.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.header()
				.string(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", scope=\"api\""));
	}

	@Test
	void codeFlowWhenConsentRememberedThenNoSecondConsentPage() throws Exception {
		authorizeWithConsent("api");
		MockHttpServletResponse again = authorize("api", REDIRECT, challenge(verifier)).andReturn().getResponse();
		assertThat(again.getStatus()).isEqualTo(302);
		assertThat(again.getRedirectedUrl()).startsWith(REDIRECT + "?code=");
	}

	@Test
	void exchangeWhenCodeUsedTwiceThenRefusedAndFirstTokensRevoked() throws Exception {
		String code = authorizeWithConsent("api");
		JsonNode tokens = exchange(code, verifier).andExpect(status().isOk()).andReturnJson();
		exchange(code, verifier).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("invalid_grant"));
		mvc.perform(get("/api/1.0/auth-clients").header(HttpHeaders.AUTHORIZATION,
				"Bearer " + tokens.get("access_token").asString())).andExpect(status().isUnauthorized());
	}

	@Test
	void exchangeWhenRedirectUrlRemovedAfterCodeIssuedThenCodeNoLongerWorks() throws Exception {
		String code = authorizeWithConsent("api");
		clients.update(client.client().id(), null, new AuthClientDraft(client.client().name(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of("http://127.0.0.1:8400/cb")));
		exchange(code, verifier).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("invalid_grant"));
	}

	@Test
	void exchangeWhenAnotherRedirectUrlRemovedThenCodeStillWorks() throws Exception {
		String code = authorizeWithConsent("api");
		clients.update(client.client().id(), null, new AuthClientDraft(client.client().name(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of(REDIRECT)));
		exchange(code, verifier).andExpect(status().isOk());
	}

	@Test
	void exchangeWhenCodeIssuedWithoutRedirectUriAndTheOnlyRedirectUrlReplacedThenCodeNoLongerWorks()
			throws Exception {
		// with one registered redirect URL the request may leave redirect_uri out (RFC 6749 4.1.1, 3.1.2.3)
		client = clients.create(new AuthClientDraft("One redirect " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of(REDIRECT)));
		String code = authorizeWithConsent("api", null);
		clients.update(client.client().id(), null, new AuthClientDraft(client.client().name(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of("https://app.example.com/moved")));
		exchange(code, verifier).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("invalid_grant"));
	}

	@Test
	void exchangeWhenPkceVerifierWrongThenInvalidGrant() throws Exception {
		String code = authorizeWithConsent("api");
		exchange(code, "another-verifier-" + UUID.randomUUID() + UUID.randomUUID()).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("invalid_grant"));
	}

	@Test
	void exchangeWhenCodeFromAnotherClientThenInvalidGrant() throws Exception {
		String code = authorizeWithConsent("api");
		IssuedSecret other = clients.create(new AuthClientDraft("Other " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of(REDIRECT)));
		mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(other.client().id(), other.secret()))
			.param("grant_type", "authorization_code").param("code", code).param("redirect_uri", REDIRECT)
			.param("code_verifier", verifier))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.error").value("invalid_grant"));
	}

	@Test
	void authorizeWhenRedirectUriUnregisteredThenErrorPageAndNoRedirect() throws Exception {
		for (String hostile : List.of("https://evil.example/callback", REDIRECT + "/", REDIRECT.toUpperCase(),
				REDIRECT + "?x=1", "https://app.example.com.evil.test/callback", "http://localhost:8400/cb")) {
			MockHttpServletResponse response = authorize("api", hostile, challenge(verifier)).andReturn().getResponse();
			assertThat(response.getStatus()).as(hostile).isEqualTo(400);
			assertThat(response.getHeader(HttpHeaders.LOCATION)).as(hostile).isNull();
		}
	}

	@Test
	void authorizeWhenLoopbackRedirectOnOtherPortThenAccepted() throws Exception {
		Document page = consentPage(authorize("api", "http://127.0.0.1:51999/cb", challenge(verifier))
			.andReturn().getResponse());
		assertThat(page.select("#client-name").text()).isEqualTo(client.client().name());
		assertThat(page.select("label[for=scope-api]").text()).contains("REST API");
	}

	@Test
	void authorizeWhenPlainPkceThenRefusedByRedirectWithError() throws Exception {
		MockHttpServletResponse response = mvc.perform(get("/oauth/authorize").with(as(user))
			.queryParam("response_type", "code").queryParam("client_id", client.client().id())
			.queryParam("redirect_uri", REDIRECT)
			.queryParam("scope", "api").queryParam("state", "s1").queryParam("code_challenge", verifier)
			.queryParam("code_challenge_method", "plain")).andReturn().getResponse();
		assertThat(response.getRedirectedUrl()).startsWith(REDIRECT).contains("error=invalid_request");
	}

	@Test
	void authorizeWhenSignedOutThenLoginPage() throws Exception {
		MockHttpServletResponse response = mvc.perform(get("/oauth/authorize").accept("text/html")
			.queryParam("response_type", "code").queryParam("client_id", client.client().id())
			.queryParam("redirect_uri", REDIRECT)
			.queryParam("scope", "api")).andReturn().getResponse();
		assertThat(response.getStatus()).isEqualTo(302);
		assertThat(response.getRedirectedUrl()).endsWith("/login");
	}

	@Test
	void discoveryThenOriginalPaths() throws Exception {
		mvc.perform(get("/.well-known/oauth-authorization-server"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.authorization_endpoint").value(org.hamcrest.Matchers.endsWith("/oauth/authorize")))
			.andExpect(jsonPath("$.token_endpoint").value(org.hamcrest.Matchers.endsWith("/oauth/token")))
			.andExpect(jsonPath("$.introspection_endpoint").value(org.hamcrest.Matchers.endsWith("/oauth/introspect")))
			.andExpect(jsonPath("$.revocation_endpoint").value(org.hamcrest.Matchers.endsWith("/oauth/revoke")))
			.andExpect(jsonPath("$.jwks_uri").value(org.hamcrest.Matchers.endsWith("/oauth/jwks")))
			.andExpect(jsonPath("$.code_challenge_methods_supported[0]").value("S256"));
		mvc.perform(get("/.well-known/openid-configuration"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.userinfo_endpoint").value(org.hamcrest.Matchers.endsWith("/userinfo")));
		mvc.perform(get("/oauth/jwks")).andExpect(status().isOk()).andExpect(jsonPath("$.keys[0].kty").exists());
	}

	private String authorizeWithConsent(String scope) throws Exception {
		return authorizeWithConsent(scope, REDIRECT);
	}

	/** {@code redirectUri} null: the request names none, so the client's only registered one is used. */
	private String authorizeWithConsent(String scope, @Nullable String redirectUri) throws Exception {
		Document page = consentPage(authorize(scope, redirectUri, challenge(verifier)).andReturn().getResponse());
		assertThat(page.select("#client-name").text()).isEqualTo(client.client().name());
		String state = page.select("input[name=state]").val();
		var consent = post("/oauth/authorize").with(as(user)).with(csrf())
			.param("client_id", client.client().id())
			.param("state", state);
		for (String each : scope.split(" ")) {
			if (!each.equals("openid")) {
				consent.param("scope", each);
			}
		}
		MockHttpServletResponse redirect = mvc.perform(consent).andReturn().getResponse();
		assertThat(redirect.getStatus()).isEqualTo(302);
		URI location = URI.create(redirect.getRedirectedUrl());
		assertThat(location.toString()).startsWith(REDIRECT + "?");
		Map<String, String> query = UriComponentsBuilder.fromUri(location).build().getQueryParams().toSingleValueMap();
		assertThat(query.get("state")).isEqualTo("client-state");
		return java.net.URLDecoder.decode(query.get("code"), StandardCharsets.UTF_8);
	}

	/** The authorization endpoint sends the browser to the consent page; follow it as the browser would. */
	private Document consentPage(MockHttpServletResponse authorizeResponse) throws Exception {
		assertThat(authorizeResponse.getStatus()).isEqualTo(302);
		assertThat(authorizeResponse.getRedirectedUrl()).contains("/oauth/consent?");
		MockHttpServletResponse page = mvc.perform(get(URI.create(authorizeResponse.getRedirectedUrl())).with(as(user)))
			.andReturn().getResponse();
		assertThat(page.getStatus()).isEqualTo(200);
		return Jsoup.parse(page.getContentAsString());
	}

	private ResultActions authorize(String scope, @Nullable String redirectUri, String challenge) throws Exception {
		MockHttpServletRequestBuilder request = get("/oauth/authorize").with(as(user))
			.queryParam("response_type", "code")
			.queryParam("client_id", client.client().id())
			.queryParam("scope", scope)
			.queryParam("state", "client-state")
			.queryParam("code_challenge", challenge)
			.queryParam("code_challenge_method", "S256");
		return mvc.perform(redirectUri == null ? request : request.queryParam("redirect_uri", redirectUri));
	}

	private JsonResult exchange(String code, String codeVerifier) throws Exception {
		return new JsonResult(mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "authorization_code")
			.param("code", code)
			.param("redirect_uri", REDIRECT)
			.param("code_verifier", codeVerifier)));
	}

	final class JsonResult {

		private final ResultActions result;

		JsonResult(ResultActions result) {
			this.result = result;
		}

		JsonResult andExpect(org.springframework.test.web.servlet.ResultMatcher matcher) throws Exception {
			result.andExpect(matcher);
			return this;
		}

		JsonNode andReturnJson() throws Exception {
			return json.readTree(result.andReturn().getResponse().getContentAsString());
		}

	}

}
