package io.gatehouse.oauth;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * The authorization endpoint against redirect URIs that are not exactly a registered one: each must get an error
 * page (400) and never a redirect, not even one carrying an error. Registered: {@value #REGISTERED} and
 * {@value #LOOPBACK}.
 */
@GatehouseIntegrationTest
class HostileRedirectUriIntegrationTests {

	static final String REGISTERED = "https://app.example.com/oauth/callback";

	static final String LOOPBACK = "http://127.0.0.1:8400/cb";

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	IssuedSecret client;

	User user;

	@BeforeEach
	void setUp() {
		client = clients.create(new AuthClientDraft("Target " + UUID.randomUUID(), Set.of(GrantType.AUTHORIZATION_CODE),
				List.of(REGISTERED, LOOPBACK)));
		user = TestAccounts.user().username("r-" + UUID.randomUUID()).create(jdbc);
	}

	@ParameterizedTest
	@ValueSource(strings = {
			// letter case
			"HTTPS://app.example.com/oauth/callback", "https://APP.example.com/oauth/callback",
			"https://app.example.com/OAuth/Callback",
			// prefixes and suffixes
			"https://app.example.com/oauth/callback/", "https://app.example.com/oauth/callbackx",
			"https://app.example.com/oauth/callback/../../evil", "https://app.example.com/oauth",
			"https://app.example.com.evil.test/oauth/callback",
					"https://evil.test/https://app.example.com/oauth/callback",
			"https://app.example.com:443/oauth/callback", "https://app.example.com:8443/oauth/callback",
			// localhost look-alikes and loopback tricks
			"http://localhost:8400/cb", "http://localhost.evil.test:8400/cb", "http://127.0.0.1.evil.test:8400/cb",
			"http://127.0.0.2:8400/cb", "http://0x7f000001:8400/cb", "https://127.0.0.1:8400/cb",
			"http://127.0.0.1:8400/cb/", "http://127.0.0.1:8400/CB",
			// userinfo tricks
			"https://app.example.com@evil.test/oauth/callback", "https://app.example.com%40evil.test/oauth/callback",
			"https://app.example.com%25@evil.test/oauth/callback", "https://user@app.example.com/oauth/callback",
			// path traversal and encoding
			"https://app.example.com/oauth/callback/..;/admin", "https://app.example.com/oauth/..;/oauth/callback",
			"https://app.example.com/oauth/%2e%2e/oauth/callback", "https://app.example.com/oauth%2Fcallback",
			"https://app.example.com/oauth/callback%252e%252e", "https://app.example.com/oauth/callback%00",
			// extra query and fragments
			"https://app.example.com/oauth/callback?next=https://evil.test", "https://app.example.com/oauth/callback?",
			"https://app.example.com/oauth/callback#", "https://app.example.com/oauth/callback#evil",
			// other schemes
			"javascript:alert(1)", "JaVaScRiPt://app.example.com/oauth/callback", "data:text/html,hi",
			"http://app.example.com/oauth/callback", "ftp://app.example.com/oauth/callback",
			"//app.example.com/oauth/callback", "/oauth/callback", "app.example.com/oauth/callback" })
	void authorizeWhenRedirectUriNotExactlyRegisteredThenErrorPageWithoutRedirect(String hostile) throws Exception {
		MockHttpServletResponse response = mvc.perform(get("/oauth/authorize").with(TestAccounts.as(user))
			.queryParam("response_type", "code")
			.queryParam("client_id", client.client().id())
			.queryParam("redirect_uri", hostile)
			.queryParam("scope", "api")
			.queryParam("state", "s")
			.queryParam("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
			.queryParam("code_challenge_method", "S256")).andReturn().getResponse();
		assertThat(response.getStatus()).as(hostile).isEqualTo(400);
		assertThat(response.getHeader(HttpHeaders.LOCATION)).as(hostile).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { REGISTERED, LOOPBACK, "http://127.0.0.1:51234/cb", "http://127.0.0.1/cb" })
	void authorizeWhenRedirectUriRegisteredOrLoopbackWithOtherPortThenConsentPage(String allowed) throws Exception {
		MockHttpServletResponse response = mvc.perform(get("/oauth/authorize").with(TestAccounts.as(user))
			.queryParam("response_type", "code")
			.queryParam("client_id", client.client().id())
			.queryParam("redirect_uri", allowed)
			.queryParam("scope", "api")
			.queryParam("state", "s")
			.queryParam("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
			.queryParam("code_challenge_method", "S256")).andReturn().getResponse();
		assertThat(response.getStatus()).as(allowed).isEqualTo(302);
		assertThat(response.getRedirectedUrl()).as(allowed).contains("/oauth/consent?");
	}

}
