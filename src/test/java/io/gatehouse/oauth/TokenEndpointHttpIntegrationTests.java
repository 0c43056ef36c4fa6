package io.gatehouse.oauth;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static io.gatehouse.support.OAuthRequests.challenge;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token endpoint at the HTTP level, as RFC 6749 3.2 and 5.2 describe it: a POST with a form body, and for every
 * mistake the exact status and {@code error} code, with nothing issued. Parameters are placed in the query string or
 * the body on purpose, which MockMvc's {@code .param()} cannot do.
 */
@GatehouseHttpTest
class TokenEndpointHttpIntegrationTests {

	static final String REDIRECT = "https://app.example.com/callback";

	@LocalServerPort
	int port;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	OAuthHttp http;

	IssuedSecret client;

	User user;

	@BeforeEach
	void setUp() {
		http = new OAuthHttp(port, json);
		client = clients.create(new AuthClientDraft("Legacy " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD, GrantType.CLIENT_CREDENTIALS, GrantType.AUTHORIZATION_CODE),
				List.of(REDIRECT)));
		user = TestAccounts.user().username("http-" + UUID.randomUUID()).create(jdbc);
	}

	@Test
	void tokenWhenPasswordGrantWellFormedThenTokens() {
		var response = passwordGrant().send();
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("access_token").asString()).isNotBlank();
		assertThat(issuedTokens(client)).isEqualTo(2);
	}

	@Test
	void tokenWhenPasswordGrantParametersInQueryStringThenInvalidRequestAndNoToken() {
		var response = http.post("/oauth/token").basic(client.client().id(), client.secret())
			.query("grant_type=password&username=" + OAuthHttp.encode(user.username()) + "&password="
					+ OAuthHttp.encode(TestAccounts.PASSWORD))
			.form().send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("invalid_request");
		assertThat(response.body()).doesNotContain("access_token").doesNotContain(TestAccounts.PASSWORD);
		assertThat(issuedTokens(client)).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "password", "client_secret", "code", "refresh_token", "code_verifier", "token",
			"client_assertion", "username", "grant_type", "scope", "client_id" })
	void tokenWhenOAuthParameterInQueryStringThenInvalidRequestAndNoToken(String parameter) {
		// everything the grant needs is in the body; the one extra parameter in the URL is what is refused
		var response = passwordGrant().query(parameter + "=" + OAuthHttp.encode("leaked-" + UUID.randomUUID())).send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("invalid_request");
		assertThat(response.body()).doesNotContain("leaked-");
		assertThat(issuedTokens(client)).isZero();
	}

	@Test
	void tokenWhenCredentialNamePercentEncodedInQueryStringThenStillRefused() {
		var response = passwordGrant().query("pass%77ord=" + OAuthHttp.encode(TestAccounts.PASSWORD)).send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("invalid_request");
		assertThat(issuedTokens(client)).isZero();
	}

	@Test
	void tokenWhenClientSecretInQueryStringThenInvalidRequestNotLoginRedirect() {
		var response = http.post("/oauth/token")
			.query("client_id=" + client.client().id() + "&client_secret=" + OAuthHttp.encode(client.secret()))
			.form("grant_type", "client_credentials").send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("invalid_request");
		assertThat(response.body()).doesNotContain(client.secret());
		assertThat(issuedTokens(client)).isZero();
	}

	@Test
	void tokenWhenOnlyUnrecognisedParameterInQueryStringThenIgnored() {
		// RFC 6749 3.2: the server MUST ignore unrecognised request parameters
		var response = passwordGrant().query("trace=on").send();
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "*/*", "", "application/json", "text/plain" })
	void tokenWhenBodyIsNotAFormThenInvalidRequestAndNoToken(String contentType) {
		// client_secret_post: the client's credentials too are in the body that cannot be read as a form
		var response = http.post("/oauth/token")
			.form("grant_type", "client_credentials", "client_id", client.client().id(), "client_secret",
					client.secret())
			.contentType(contentType.isEmpty() ? null : contentType).send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("invalid_request");
		assertThat(issuedTokens(client)).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "grant_type=client_credentials&=x", "grant_type=client_credentials&%zz=1" })
	void tokenWhenFormBodyCannotBeParsedThenInvalidRequestAsOAuthError(String body) {
		var response = http.post("/oauth/token").basic(client.client().id(), client.secret()).rawForm(body).send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("invalid_request");
		assertThat(issuedTokens(client)).isZero();
	}

	@Test
	void tokenWhenFormContentTypeHasCharsetThenAccepted() {
		var response = passwordGrant().contentType("application/x-www-form-urlencoded; charset=UTF-8").send();
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "*/*", "text/html", "application/json" })
	void tokenWhenNoClientAuthenticationThen401InvalidClientWithBasicChallenge(String accept) {
		var request = http.post("/oauth/token").form("grant_type", "client_credentials");
		if (!accept.isEmpty()) {
			request.accept(accept);
		}
		var response = request.send();
		assertThat(response.status()).as(response.toString()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).startsWith("Basic realm=");
		assertThat(response.error()).isEqualTo("invalid_client");
		assertThat(issuedTokens(client)).isZero();
	}

	@Test
	void tokenWhenClientSecretWrongThen401InvalidClientWithBasicChallenge() {
		var basic = http.post("/oauth/token").basic(client.client().id(), "gtcs_wrong")
			.form("grant_type", "client_credentials").send();
		assertThat(basic.status()).as(basic.toString()).isEqualTo(401);
		assertThat(basic.header("WWW-Authenticate")).startsWith("Basic realm=");
		assertThat(basic.error()).isEqualTo("invalid_client");

		var post = http.post("/oauth/token").form("grant_type", "client_credentials", "client_id",
				client.client().id(), "client_secret", "gtcs_wrong").send();
		assertThat(post.status()).as(post.toString()).isEqualTo(401);
		assertThat(post.header("WWW-Authenticate")).startsWith("Basic realm=");
		assertThat(post.error()).isEqualTo("invalid_client");
		assertThat(issuedTokens(client)).isZero();
	}

	@Test
	void tokenWhenClientUnknownThen401InvalidClient() {
		var response = http.post("/oauth/token").basic(UUID.randomUUID().toString(), "gtcs_whatever")
			.form("grant_type", "client_credentials").send();
		assertThat(response.status()).as(response.toString()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).startsWith("Basic realm=");
		assertThat(response.error()).isEqualTo("invalid_client");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "0000000000000000000000000000000000000000000000000000000000000000", "gtcs_guess" })
	void tokenWhenSeededPersonalAccessClientThen401InvalidClient(String secret) {
		var response = http.post("/oauth/token").form("grant_type", "client_credentials", "client_id",
				"personal-access-client", "client_secret", secret).send();
		assertThat(response.status()).as(response.toString()).isEqualTo(401);
		assertThat(response.error()).isEqualTo("invalid_client");
		var basic = http.post("/oauth/token").basic("personal-access-client", secret)
			.form("grant_type", "password", "username", user.username(), "password", TestAccounts.PASSWORD).send();
		// an empty secret makes the Basic credentials malformed (Spring: invalid_request); either way no token
		assertThat(basic.status()).as(basic.toString()).isEqualTo(secret.isEmpty() ? 400 : 401);
		assertThat(basic.error()).isEqualTo(secret.isEmpty() ? "invalid_request" : "invalid_client");
		assertThat(jdbc.sql("select count(*) from oauth_authorization where client_id = 'personal-access-client'")
			.query(Long.class).single()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "GET", "PUT", "DELETE" })
	void tokenEndpointsWhenNotPostThen405AllowingPost(String method) {
		for (String path : List.of("/oauth/token", "/oauth/introspect", "/oauth/revoke")) {
			var response = http.request(method, path).basic(client.client().id(), client.secret()).send();
			assertThat(response.status()).as(method + " " + path + ": " + response).isEqualTo(405);
			assertThat(response.header("Allow")).as(path).isEqualTo("POST");
		}
		var signedOut = http.request("GET", "/oauth/token").accept("text/html").send();
		assertThat(signedOut.status()).as(signedOut.toString()).isEqualTo(405);
	}

	@ParameterizedTest
	@ValueSource(strings = { "urn:ietf:params:oauth:grant-type:jwt-bearer", "implicit", "personal_access_client",
			"unknown" })
	void tokenWhenGrantTypeUnsupportedThenUnsupportedGrantType(String grantType) {
		var response = http.post("/oauth/token").basic(client.client().id(), client.secret())
			.form("grant_type", grantType, "device_code", "dc-" + UUID.randomUUID(), "subject_token", "st",
					"subject_token_type", "urn:ietf:params:oauth:token-type:access_token", "assertion", "a")
			.send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("unsupported_grant_type");
		assertThat(issuedTokens(client)).isZero();
	}

	@Test
	void tokenWhenGrantTypeMissingOrRepeatedThenInvalidRequest() {
		var missing = http.post("/oauth/token").basic(client.client().id(), client.secret())
			.form("username", user.username(), "password", TestAccounts.PASSWORD).send();
		assertThat(missing.status()).as(missing.toString()).isEqualTo(400);
		assertThat(missing.error()).isEqualTo("invalid_request");
		var repeated = http.post("/oauth/token").basic(client.client().id(), client.secret())
			.form("grant_type", "password", "grant_type", "password", "username", user.username(), "password",
					TestAccounts.PASSWORD)
			.send();
		assertThat(repeated.status()).as(repeated.toString()).isEqualTo(400);
		assertThat(repeated.error()).isEqualTo("invalid_request");
		var passwordTwice = http.post("/oauth/token").basic(client.client().id(), client.secret())
			.form("grant_type", "password", "username", user.username(), "password", TestAccounts.PASSWORD, "password",
					"other")
			.send();
		assertThat(passwordTwice.status()).as(passwordTwice.toString()).isEqualTo(400);
		assertThat(passwordTwice.error()).isEqualTo("invalid_request");
		assertThat(issuedTokens(client)).isZero();
	}

	@Test
	void tokenWhenUserPasswordWrongThenInvalidGrant() {
		var response = http.post("/oauth/token").basic(client.client().id(), client.secret())
			.form("grant_type", "password", "username", user.username(), "password", "wrong password").send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("invalid_grant");
		assertThat(issuedTokens(client)).isZero();
	}

	@Test
	void tokenWhenRefreshTokenOfAnotherClientThenInvalidGrantAndItStillWorksForItsOwn() {
		String refreshToken = passwordGrant().send().json().get("refresh_token").asString();
		IssuedSecret other = clients.create(new AuthClientDraft("Other " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD),
				List.of()));
		var stolen = http.post("/oauth/token").basic(other.client().id(), other.secret())
			.form("grant_type", "refresh_token", "refresh_token", refreshToken).send();
		assertThat(stolen.status()).as(stolen.toString()).isEqualTo(400);
		assertThat(stolen.error()).isEqualTo("invalid_grant");
		assertThat(issuedTokens(other)).isZero();

		var own = http.post("/oauth/token").basic(client.client().id(), client.secret())
			.form("grant_type", "refresh_token", "refresh_token", refreshToken).send();
		assertThat(own.status()).as(own.toString()).isEqualTo(200);
	}

	@Test
	void tokenWhenScopeUnknownThenInvalidScope() {
		var clientCredentials = http.post("/oauth/token").basic(client.client().id(), client.secret())
			.form("grant_type", "client_credentials", "scope", "admin").send();
		assertThat(clientCredentials.status()).as(clientCredentials.toString()).isEqualTo(400);
		assertThat(clientCredentials.error()).isEqualTo("invalid_scope");
		var password = http.post("/oauth/token").basic(client.client().id(), client.secret())
			.form("grant_type", "password", "username", user.username(), "password", TestAccounts.PASSWORD, "scope",
					"api openid")
			.send();
		assertThat(password.status()).as(password.toString()).isEqualTo(400);
		assertThat(password.error()).isEqualTo("invalid_scope");
		assertThat(issuedTokens(client)).isZero();
	}

	@Test
	void tokenWhenClientLeftWithOnlyPersonalAccessTokensThenUnauthorizedClient() {
		IssuedSecret patOnly = clients.create(new AuthClientDraft("Scripts " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD, GrantType.PERSONAL_ACCESS), List.of()));
		clients.update(patOnly.client().id(), null, new AuthClientDraft(patOnly.client().name(),
				Set.of(GrantType.PERSONAL_ACCESS), List.of()));

		var password = http.post("/oauth/token").basic(patOnly.client().id(), patOnly.secret())
			.form("grant_type", "password", "username", user.username(), "password", TestAccounts.PASSWORD).send();
		assertThat(password.status()).as(password.toString()).isEqualTo(400);
		assertThat(password.error()).isEqualTo("unauthorized_client");
		var clientCredentials = http.post("/oauth/token").basic(patOnly.client().id(), patOnly.secret())
			.form("grant_type", "client_credentials").send();
		assertThat(clientCredentials.status()).as(clientCredentials.toString()).isEqualTo(400);
		assertThat(clientCredentials.error()).isEqualTo("unauthorized_client");
		assertThat(issuedTokens(patOnly)).isZero();

		// its secret still has to be right
		var wrongSecret = http.post("/oauth/token").basic(patOnly.client().id(), "gtcs_wrong")
			.form("grant_type", "password", "username", user.username(), "password", TestAccounts.PASSWORD).send();
		assertThat(wrongSecret.status()).as(wrongSecret.toString()).isEqualTo(401);
		assertThat(wrongSecret.error()).isEqualTo("invalid_client");
	}

	@Test
	void exchangeWhenVerifierRightThenTokens() {
		String verifier = verifier();
		String code = signedIn().authorizationCode(client.client().id(), REDIRECT, challenge(verifier));
		var response = exchange(code).form("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
				"code_verifier", verifier).send();
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(issuedTokens(client)).isEqualTo(2);
	}

	@Test
	void exchangeWhenChallengeSentButVerifierMissingThenInvalidGrantAndNoToken() {
		String code = signedIn().authorizationCode(client.client().id(), REDIRECT, challenge(verifier()));
		var response = exchange(code).form("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT)
			.send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("invalid_grant");
		assertThat(issuedTokens(client)).isZero();
	}

	@Test
	void exchangeWhenVerifierSentWithoutChallengeThenInvalidGrantAndNoToken() {
		// RFC 9700 2.1.1: a code_verifier for a code issued without a code_challenge must be refused
		String code = signedIn().authorizationCode(client.client().id(), REDIRECT, null);
		var response = exchange(code).form("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
				"code_verifier", verifier()).send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("invalid_grant");
		assertThat(issuedTokens(client)).isZero();
	}

	@Test
	void exchangeWhenVerifierWrongThenInvalidGrantAndNoToken() {
		String code = signedIn().authorizationCode(client.client().id(), REDIRECT, challenge(verifier()));
		var response = exchange(code).form("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
				"code_verifier", verifier()).send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("invalid_grant");
		assertThat(issuedTokens(client)).isZero();
	}

	@Test
	void exchangeWhenVerifierInQueryStringThenInvalidRequestAndNoToken() {
		String verifier = verifier();
		String code = signedIn().authorizationCode(client.client().id(), REDIRECT, challenge(verifier));
		var response = exchange(code).query("code_verifier=" + verifier)
			.form("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT).send();
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.error()).isEqualTo("invalid_request");
		assertThat(issuedTokens(client)).isZero();
	}

	@Test
	void userinfoWhenNoAccessTokenThen401BearerChallengeNotLoginRedirect() {
		var response = http.request("GET", "/userinfo").send();
		assertThat(response.status()).as(response.toString()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
	}

	private OAuthHttp.Request passwordGrant() {
		return http.post("/oauth/token").basic(client.client().id(), client.secret())
			.form("grant_type", "password", "username", user.username(), "password", TestAccounts.PASSWORD);
	}

	private OAuthHttp.Request exchange(String code) {
		assertThat(code).isNotBlank();
		return http.post("/oauth/token").basic(client.client().id(), client.secret());
	}

	private OAuthHttp signedIn() {
		return http.signIn(user.username(), TestAccounts.PASSWORD);
	}

	/** Access and refresh tokens the client was ever issued, live or not. */
	private long issuedTokens(IssuedSecret issuedTo) {
		return jdbc.sql("""
				select count(*) from oauth_token t join oauth_authorization a on a.id = t.authorization_id
				where a.client_id = :client and t.token_type in ('access_token', 'refresh_token')
				""").param("client", issuedTo.client().id()).query(Long.class).single();
	}

	private static String verifier() {
		return "verifier-" + UUID.randomUUID() + UUID.randomUUID();
	}

}
