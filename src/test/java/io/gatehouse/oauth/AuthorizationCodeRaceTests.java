package io.gatehouse.oauth;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.signin.Permissions;
import io.gatehouse.support.AtOnce;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.aopalliance.intercept.MethodInterceptor;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.aop.framework.Advised;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.util.UriComponentsBuilder;

import static io.gatehouse.support.OAuthRequests.challenge;
import static io.gatehouse.support.OAuthRequests.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Several requests exchange the same authorization code at once, from real threads released together, through the
 * real token endpoint. RFC 6749 4.1.2: a code is used once. Run on H2 and PostgreSQL by the subclasses.
 */
@GatehouseIntegrationTest
abstract class AuthorizationCodeRaceTests {

	static final int REQUESTS = 5;

	static final String REDIRECT = "https://app.example.com/callback";

	static final OAuth2TokenType CODE = new OAuth2TokenType("code");

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Autowired
	AuthClientService clients;

	@Autowired
	JdbcTokenStore tokenStore;

	IssuedSecret client;

	User user;

	MethodInterceptor gate;

	String verifier = "verifier-" + UUID.randomUUID() + UUID.randomUUID();

	@BeforeEach
	void setUp() {
		client = clients.create(new AuthClientDraft("Web app " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE),
				List.of(REDIRECT)));
		user = TestAccounts.user().username("coder-" + UUID.randomUUID()).permissions(Permissions.VIEW_AUTH_CLIENTS)
			.create(jdbc);
	}

	@AfterEach
	void openTheGate() {
		if (gate != null) {
			((Advised) tokenStore).removeAdvice(gate);
		}
	}

	@Test
	void exchangeWhenFiveRequestsLoadedTheCodeBeforeAnySavedThenOneGetsTokensAndTheyAreRevoked() throws Exception {
		String code = authorizeWithConsent();
		holdEveryExchangeAfterLoadingUntilAllLoaded();

		List<MockHttpServletResponse> answers = exchangeAtOnce(code);

		((Advised) tokenStore).removeAdvice(gate);
		gate = null;
		List<Integer> statuses = answers.stream().map(MockHttpServletResponse::getStatus).toList();
		assertThat(statuses.stream().filter(status -> status == 200).count()).as("successes of " + statuses)
			.isEqualTo(1);
		for (MockHttpServletResponse answer : answers) {
			if (answer.getStatus() != 200) {
				assertThat(answer.getStatus()).isEqualTo(400);
				assertThat(json.readTree(answer.getContentAsString()).get("error").asString())
					.isEqualTo("invalid_grant");
			}
		}
		// RFC 6749 4.1.2: a code used more than once revokes the tokens issued for it
		String access = json.readTree(answers.stream().filter(answer -> answer.getStatus() == 200).findFirst()
			.orElseThrow().getContentAsString()).get("access_token").asString();
		assertThat(mvc.perform(get("/api/1.0/auth-clients").header(HttpHeaders.AUTHORIZATION, "Bearer " + access))
			.andReturn().getResponse().getStatus()).isEqualTo(401);
	}

	private void holdEveryExchangeAfterLoadingUntilAllLoaded() {
		CyclicBarrier allLoaded = new CyclicBarrier(REQUESTS);
		gate = invocation -> {
			Object found = invocation.proceed();
			if (invocation.getMethod().getName().equals("findByToken") && found != null
					&& CODE.equals(invocation.getArguments()[1])) {
				try {
					allLoaded.await(20, TimeUnit.SECONDS);
				}
				catch (TimeoutException | BrokenBarrierException ex) {
					// not all got this far: let this one go on
				}
			}
			return found;
		};
		((Advised) tokenStore).addAdvice(0, gate);
	}

	private List<MockHttpServletResponse> exchangeAtOnce(String code) throws Exception {
		return AtOnce.run(REQUESTS, () -> mvc.perform(post("/oauth/token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "authorization_code").param("code", code).param("redirect_uri", REDIRECT)
			.param("code_verifier", verifier)).andReturn().getResponse());
	}

	private String authorizeWithConsent() throws Exception {
		MockHttpServletResponse authorize = mvc.perform(get("/oauth/authorize").with(TestAccounts.as(user))
			.queryParam("response_type", "code").queryParam("client_id", client.client().id())
			.queryParam("redirect_uri", REDIRECT).queryParam("scope", "api").queryParam("state", "s")
			.queryParam("code_challenge", challenge(verifier)).queryParam("code_challenge_method", "S256"))
			.andReturn().getResponse();
		String page = mvc.perform(get(URI.create(authorize.getRedirectedUrl())).with(TestAccounts.as(user))).andReturn()
			.getResponse().getContentAsString();
		String state = Jsoup.parse(page).select("input[name=state]").val();
		MockHttpServletResponse redirect = mvc.perform(post("/oauth/authorize").with(TestAccounts.as(user)).with(csrf())
			.param("client_id", client.client().id()).param("state", state).param("scope", "api")).andReturn()
			.getResponse();
		Map<String, String> query = UriComponentsBuilder.fromUri(URI.create(redirect.getRedirectedUrl())).build()
			.getQueryParams().toSingleValueMap();
		return URLDecoder.decode(query.get("code"), StandardCharsets.UTF_8);
	}

}
