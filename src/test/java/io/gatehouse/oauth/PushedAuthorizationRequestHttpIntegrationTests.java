package io.gatehouse.oauth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.support.GatehouseHttpTest;
import io.gatehouse.support.TestAccounts;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pushed authorization requests (RFC 9126) over real HTTP: the client pushes its request to {@code /oauth/par},
 * authenticated as at the token endpoint, and sends the browser with only the {@code request_uri}, which works once,
 * for a short time, for that client alone.
 */
@GatehouseHttpTest
class PushedAuthorizationRequestHttpIntegrationTests {

	static final String REDIRECT = "https://app.example.com/callback";

	static final String VERIFIER = "pushed-request-code-verifier-0123456789-abcdefghijk";

	@LocalServerPort
	int port;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	@Autowired
	JdbcTokenStore tokens;

	IssuedSecret client;

	OAuthHttp http;

	OAuthHttp browser;

	User user;

	@BeforeEach
	void setUp() {
		client = clients.create(new AuthClientDraft("PAR web " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of(REDIRECT)));
		http = new OAuthHttp(port, json);
		user = TestAccounts.user().username("par-" + UUID.randomUUID()).create(jdbc);
		browser = new OAuthHttp(port, json).signIn(user.username(), TestAccounts.PASSWORD);
	}

	@Test
	void pushWhenClientAuthenticatedThenRequestUriAndCodeFlowCompletes() {
		var pushed = push(client);
		assertThat(pushed.status()).as(pushed.toString()).isEqualTo(201);
		JsonNode body = pushed.json();
		assertThat(body.get("request_uri").asString()).startsWith("urn:ietf:params:oauth:request_uri:");
		assertThat(body.get("expires_in").asLong()).isBetween(1L, 300L);

		String code = codeThrough(body.get("request_uri").asString());
		var tokens = http.post("/oauth/token").basic(client.client().id(), client.secret())
			.form("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT, "code_verifier",
					VERIFIER)
			.send();
		assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
		assertThat(tokens.json().get("access_token").asString()).isNotBlank();
		// the pushed request is gone once used: only the grant with the code is left
		assertThat(requestUrisStored(client)).isZero();
	}

	@Test
	void pushWhenStoredThenOnlyHashOfRequestUriIsKept() {
		String requestUri = push(client).json().get("request_uri").asString();
		List<String> stored = jdbc.sql("""
				select t.token_hash from oauth_token t join oauth_authorization a on a.id = t.authorization_id
				where a.client_id = :client and t.token_type = 'request_uri'
				""").param("client", client.client().id()).query(String.class).list();
		assertThat(stored).hasSize(1);
		String key = requestUri.substring("urn:ietf:params:oauth:request_uri:".length());
		assertThat(stored.get(0)).doesNotContain(key).isEqualTo(TokenHashes.of(key));
	}

	@Test
	void pushWhenAcceptedThenAuditedWithClientAndNeverTheRequestUri() {
		String requestUri = push(client).json().get("request_uri").asString();
		var records = jdbc.sql("""
				select actor_username, subject_id, changes from audit_record
				where subject_type = 'oauth_request' and action = 'pushed' and subject_id = :client
				""").param("client", client.client().id()).query().listOfRows();
		assertThat(records).hasSize(1);
		assertThat(records.get(0).get("actor_username")).isEqualTo("client:" + client.client().id());
		String key = requestUri.substring("urn:ietf:params:oauth:request_uri:".length());
		assertThat((String) records.get(0).get("changes")).doesNotContain(key).doesNotContain(requestUri)
			.doesNotContain(client.secret());
	}

	@Test
	void pushWhenRefusedThenNothingAudited() {
		var pushed = http.post("/oauth/par").basic(client.client().id(), "wrong-secret")
			.form("response_type", "code", "client_id", client.client().id(), "redirect_uri", REDIRECT).send();
		assertThat(pushed.status()).as(pushed.toString()).isEqualTo(401);
		assertThat(jdbc.sql("select count(*) from audit_record where subject_type = 'oauth_request' "
				+ "and subject_id = :client").param("client", client.client().id()).query(Long.class).single())
			.isZero();
	}

	@Test
	void authorizeWhenSignedOutThenLoginFirstAndRequestUriStillUsableAfterwards() {
		String requestUri = push(client).json().get("request_uri").asString();
		OAuthHttp signedOutBrowser = http.browser();
		var signedOut = signedOutBrowser.request("GET", "/oauth/authorize")
			.query("client_id=" + client.client().id() + "&request_uri=" + OAuthHttp.encode(requestUri))
			.accept("text/html")
			.send();
		assertThat(signedOut.status()).as(signedOut.toString()).isEqualTo(302);
		assertThat(URI.create(signedOut.location()).getPath()).isEqualTo("/login");
		// the sign-in detour does not use the request URI up: the same browser comes back to it
		URI next = URI.create(signedOutBrowser.logIn(user.username(), TestAccounts.PASSWORD));
		assertThat(next.getRawQuery()).contains("request_uri=");
		var back = signedOutBrowser.request("GET", next.getRawPath()).query(next.getRawQuery()).accept("text/html")
			.send();
		assertThat(back.status()).as(back.toString()).isEqualTo(302);
		assertThat(back.location()).contains("/oauth/consent?");
	}

	@Test
	void authorizeWhenRequestUriUsedTwiceThenSecondIsRefusedWithoutCode() {
		String requestUri = push(client).json().get("request_uri").asString();
		codeThrough(requestUri);
		var again = authorize(client, requestUri);
		assertThat(again.status()).as(again.toString()).isEqualTo(400);
		assertThat(again.location()).isNull();
		assertThat(again.body()).contains("Invalid request").contains("invalid_request_uri");
		assertThat(codesIssued(client)).isEqualTo(1);
	}

	/**
	 * The interleaving that matters, forced: two requests both found the pushed request before either used it up.
	 * Only the first to use it up may go on; the second is refused, so it never issues a code or shows consent.
	 */
	@Test
	void removeWhenTwoRequestsLoadedSameRequestUriThenSecondFailsWithInvalidRequestUri() {
		String requestUri = push(client).json().get("request_uri").asString();
		String state = requestUri.substring("urn:ietf:params:oauth:request_uri:".length());
		OAuth2Authorization first = tokens.findByToken(state, new OAuth2TokenType(OAuth2ParameterNames.STATE));
		OAuth2Authorization second = tokens.findByToken(state, new OAuth2TokenType(OAuth2ParameterNames.STATE));
		assertThat(first).isNotNull();
		assertThat(second).isNotNull();
		tokens.remove(first);
		assertThatThrownBy(() -> tokens.remove(second)).isInstanceOfSatisfying(OAuth2AuthenticationException.class,
				ex -> assertThat(ex.getError().getErrorCode()).isEqualTo("invalid_request_uri"));
		assertThat(tokens.findByToken(state, new OAuth2TokenType(OAuth2ParameterNames.STATE))).isNull();
	}

	@Test
	void authorizeWhenRequestUriUnknownThenRefusedWithoutRedirect() {
		var response = authorize(client, "urn:ietf:params:oauth:request_uri:unknown___" + (System.currentTimeMillis()
				+ 60_000));
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.location()).isNull();
		assertThat(response.body()).contains("invalid_request_uri");
		assertThat(codesIssued(client)).isZero();
	}

	@Test
	void authorizeWhenRequestUriMalformedThenRefusedWithoutRedirect() {
		var response = authorize(client, "not-a-request-uri");
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.location()).isNull();
	}

	@Test
	void authorizeWhenRequestUriExpiredThenRefusedWithoutCode() {
		String requestUri = push(client).json().get("request_uri").asString();
		jdbc.sql("""
				update oauth_token set expires_at = :past where token_type = 'request_uri'
				  and authorization_id in (select id from oauth_authorization where client_id = :client)
				""").param("past", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusSeconds(1))
			.param("client", client.client().id()).update();
		var response = authorize(client, requestUri);
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.location()).isNull();
		assertThat(response.body()).contains("invalid_request_uri");
		assertThat(codesIssued(client)).isZero();
	}

	@Test
	void authorizeWhenRequestUriOfAnotherClientThenRefused() {
		IssuedSecret other = clients.create(new AuthClientDraft("PAR other " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of(REDIRECT)));
		String requestUri = push(client).json().get("request_uri").asString();
		var response = authorize(other, requestUri);
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.location()).isNull();
		assertThat(codesIssued(other)).isZero();
	}

	@Test
	void pushWhenPublicClientThenInvalidClientAndNothingStored() {
		IssuedSecret spa = clients.create(new AuthClientDraft("PAR SPA " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of(REDIRECT), true));
		var pushed = http.post("/oauth/par").form("response_type", "code", "client_id", spa.client().id(),
				"redirect_uri", REDIRECT, "scope", "api", "code_challenge", challenge(), "code_challenge_method",
				"S256").send();
		assertThat(pushed.status()).as(pushed.toString()).isEqualTo(401);
		assertThat(pushed.error()).isEqualTo("invalid_client");
		assertThat(requestUrisStored(spa)).isZero();
	}

	@Test
	void pushWhenNoClientCredentialsThenInvalidClient() {
		var response = http.post("/oauth/par").form("response_type", "code", "client_id", client.client().id(),
				"redirect_uri", REDIRECT, "scope", "api").send();
		assertThat(response.status()).as(response.toString()).isEqualTo(401);
		assertThat(response.error()).isEqualTo("invalid_client");
		assertThat(requestUrisStored(client)).isZero();
	}

	@Test
	void pushWhenSecretWrongThenInvalidClient() {
		var response = http.post("/oauth/par").basic(client.client().id(), "wrong")
			.form("response_type", "code", "client_id", client.client().id(), "redirect_uri", REDIRECT, "scope",
					"api")
			.send();
		assertThat(response.status()).as(response.toString()).isEqualTo(401);
		assertThat(response.error()).isEqualTo("invalid_client");
	}

	@Test
	void pushWhenRedirectUriUnregisteredThenInvalidRequestAndNothingStored() {
		var response = http.post("/oauth/par").basic(client.client().id(), client.secret())
			.form("response_type", "code", "client_id", client.client().id(), "redirect_uri",
					"https://evil.example/callback", "scope", "api")
			.send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("invalid_request");
		assertThat(requestUrisStored(client)).isZero();
	}

	@Test
	void pushWhenRequestUriPushedThenInvalidRequest() {
		var response = http.post("/oauth/par").basic(client.client().id(), client.secret())
			.form("response_type", "code", "client_id", client.client().id(), "redirect_uri", REDIRECT, "scope",
					"api", "request_uri", "urn:ietf:params:oauth:request_uri:x___1")
			.send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("invalid_request");
	}

	@Test
	void pushWhenClientHasNoCodeGrantThenUnauthorizedClient() {
		IssuedSecret passwordOnly = clients.create(new AuthClientDraft("PAR desktop " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD), List.of()));
		var response = http.post("/oauth/par").basic(passwordOnly.client().id(), passwordOnly.secret())
			.form("response_type", "code", "client_id", passwordOnly.client().id(), "redirect_uri", REDIRECT,
					"scope", "api")
			.send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("unauthorized_client");
	}

	@Test
	void pushWhenSecretInQueryStringThenRefusedAndNothingStored() {
		var response = http.post("/oauth/par").query("client_secret=" + OAuthHttp.encode(client.secret()))
			.form("response_type", "code", "client_id", client.client().id(), "redirect_uri", REDIRECT, "scope",
					"api")
			.send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(requestUrisStored(client)).isZero();
	}

	@Test
	void authorizeWhenClientRequiresParAndRequestSentThroughBrowserThenRefusedWithoutCode() {
		IssuedSecret strict = clients.create(new AuthClientDraft("PAR strict " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of(REDIRECT), false, false, true));
		var response = browser.request("GET", "/oauth/authorize")
			.query("response_type=code&scope=api&state=st&client_id=" + strict.client().id() + "&redirect_uri="
					+ OAuthHttp.encode(REDIRECT) + "&code_challenge=" + challenge() + "&code_challenge_method=S256")
			.accept("text/html")
			.send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.location()).isNull();
		assertThat(codesIssued(strict)).isZero();

		// the same request pushed first goes through
		String code = codeThrough(strict, push(strict).json().get("request_uri").asString());
		assertThat(code).isNotBlank();
	}

	@Test
	void discoveryWhenServedThenNamesParEndpointAndThatItIsOptional() {
		for (String path : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
			JsonNode metadata = http.request("GET", path).send().json();
			assertThat(metadata.get("pushed_authorization_request_endpoint").asString()).as(path)
				.isEqualTo(http.base() + "/oauth/par");
			assertThat(metadata.get("require_pushed_authorization_requests").asBoolean()).as(path).isFalse();
		}
	}

	private OAuthHttp.Response push(IssuedSecret to) {
		return http.post("/oauth/par").basic(to.client().id(), to.secret())
			.form("response_type", "code", "client_id", to.client().id(), "redirect_uri", REDIRECT, "scope", "api",
					"state", "pushed-state", "code_challenge", challenge(), "code_challenge_method", "S256")
			.send();
	}

	private OAuthHttp.Response authorize(IssuedSecret as, String requestUri) {
		return browser.request("GET", "/oauth/authorize")
			.query("client_id=" + as.client().id() + "&request_uri=" + OAuthHttp.encode(requestUri))
			.accept("text/html")
			.send();
	}

	private String codeThrough(String requestUri) {
		return codeThrough(client, requestUri);
	}

	/** The browser with only the request URI: consent, then back at the redirect URI with a code and the state. */
	private String codeThrough(IssuedSecret as, String requestUri) {
		var authorize = authorize(as, requestUri);
		assertThat(authorize.status()).as(authorize.toString()).isEqualTo(302);
		String location = authorize.location();
		assertThat(location).contains("/oauth/consent?");
		Document consent = Jsoup.parse(browser.request("GET", URI.create(location).getRawPath())
			.query(URI.create(location).getRawQuery()).accept("text/html").send().body());
		assertThat(consent.text()).contains(as.client().name());
		var allowed = browser.post("/oauth/authorize").form("client_id", as.client().id(), "state",
				consent.select("input[name=state]").val(), "scope", "api", "_csrf",
				consent.select("input[name=_csrf]").val()).send();
		assertThat(allowed.status()).as(allowed.toString()).isEqualTo(302);
		assertThat(allowed.location()).startsWith(REDIRECT + "?");
		var query = OAuthHttp.queryParameters(URI.create(allowed.location()).getRawQuery());
		assertThat(query).containsEntry("state", "pushed-state");
		return query.get("code");
	}

	private static String challenge() {
		try {
			return Base64.getUrlEncoder().withoutPadding().encodeToString(
					MessageDigest.getInstance("SHA-256").digest(VERIFIER.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private long codesIssued(IssuedSecret issuedTo) {
		return count(issuedTo, "code");
	}

	private long requestUrisStored(IssuedSecret issuedTo) {
		return count(issuedTo, "request_uri");
	}

	private long count(IssuedSecret issuedTo, String type) {
		return jdbc.sql("""
				select count(*) from oauth_token t join oauth_authorization a on a.id = t.authorization_id
				where a.client_id = :client and t.token_type = :type
				""").param("client", issuedTo.client().id()).param("type", type).query(Long.class).single();
	}

}
