package io.gatehouse.oauth;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.support.Browser;
import io.gatehouse.support.BrowserExtension;
import io.gatehouse.support.TestDatabases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization code grant end to end, with software that is not Spring's: a real headless Chromium logs in and
 * consents on the real pages, and the Nimbus OAuth 2.0 SDK plays the client (discovery, PKCE S256, the code exchange
 * with {@code client_secret_basic}, refresh, revocation) and validates what it gets on its own: the access token per
 * RFC 9068 and the ID token per OpenID Connect, both against the keys it fetches from {@code /oauth/jwks}.
 *
 * <p>The client's redirect URI is a loopback port where nothing listens: Chromium shows its "cannot connect" page, and
 * the address bar still holds the URI with the code, as a native app's loopback listener would receive it (RFC 8252).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "gatehouse.admin.username=grace", "gatehouse.admin.password=browser-test-password" })
class AuthorizationCodeFlowBrowserTests {

	static final String USERNAME = "grace";

	static final String PASSWORD = "browser-test-password";

	/** The algorithms {@code GATEHOUSE_TOKENS_SIGNING_ALGORITHM} may choose. */
	static final Set<JWSAlgorithm> SIGNING_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256,
			JWSAlgorithm.ES256);

	@RegisterExtension
	static final BrowserExtension browser = new BrowserExtension();

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
	}

	@LocalServerPort
	int port;

	@Autowired
	AuthClientService clients;

	@Autowired
	JdbcClient jdbc;

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	OIDCProviderMetadata provider;

	IssuedSecret client;

	URI redirect;

	String server;

	@BeforeEach
	void setUp() throws Exception {
		// the browser's base URL (BrowserExtension): the session cookie and the issuer both follow this host name
		server = "http://localhost:" + port;
		provider = OIDCProviderMetadata.resolve(new Issuer(server));
		redirect = URI.create("http://127.0.0.1:" + freePort() + "/callback");
		client = clients.create(new AuthClientDraft("Nimbus Demo " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of(redirect.toString())));
		jdbc.sql("update account set firstname = 'Grace', lastname = 'Hopper', email = 'grace@example.com' "
				+ "where username_key = :username").param("username", USERNAME).update();
	}

	@Test
	void codeFlowWhenUserLogsInAndAllowsThenNimbusValidatesTokensThatWorkUntilRevoked() throws Exception {
		Browser page = browser.get();
		State state = new State();
		Nonce nonce = new Nonce();
		CodeVerifier verifier = new CodeVerifier();

		// The user follows the client's authorization request and lands on the real login page.
		page.driver().get(authorizationRequest(redirect, state, nonce, verifier).toString());
		assertThat(page.currentPath()).isEqualTo("/login");
		page.fill("Username", USERNAME);
		page.fill("Password", PASSWORD);
		page.click("Log in");

		// The consent page names the client and each scope in words.
		waitForPath(page, "/oauth/consent?");
		assertThat(page.text("#client-name")).isEqualTo(client.client().name());
		assertThat(page.text("h1")).isEqualTo(client.client().name() + " wants to access your account");
		assertThat(page.pageText()).contains("It will learn who you are",
				"Use the REST API as you, with the permissions you hold", "See your name and username",
				"See your email address");
		page.click("Allow");

		// The browser is sent to the registered redirect URI with the code and the client's state.
		AuthorizationResponse response = AuthorizationResponse.parse(waitForRedirect(page, redirect));
		assertThat(response.indicatesSuccess()).as("authorization response " + response.toURI()).isTrue();
		AuthorizationSuccessResponse success = response.toSuccessResponse();
		assertThat(success.getState()).isEqualTo(state);
		AuthorizationCode code = success.getAuthorizationCode();
		assertThat(code).isNotNull();

		// The client exchanges the code with its secret (client_secret_basic) and the PKCE verifier.
		TokenRequest exchange = new TokenRequest(provider.getTokenEndpointURI(), clientSecret(),
				new AuthorizationCodeGrant(code, redirect, verifier));
		TokenResponse tokenResponse = OIDCTokenResponseParser.parse(exchange.toHTTPRequest().send());
		assertThat(tokenResponse.indicatesSuccess()).as(describe(tokenResponse)).isTrue();
		OIDCTokenResponse tokens = (OIDCTokenResponse) tokenResponse.toSuccessResponse();
		AccessToken accessToken = tokens.getOIDCTokens().getAccessToken();
		RefreshToken refreshToken = tokens.getOIDCTokens().getRefreshToken();
		assertThat(refreshToken).isNotNull();

		// RFC 9068: typ at+jwt, signed by a key of the JWKS, and every required claim with the right values.
		long accountId = jdbc.sql("select id from account where username_key = :u").param("u", USERNAME)
			.query(Long.class).single();
		JWTClaimsSet claims = validateAccessToken(accessToken);
		assertThat(claims.getSubject()).isEqualTo(String.valueOf(accountId));
		assertThat(claims.getAudience()).contains("gatehouse-api");
		assertThat(Scope.parse(claims.getStringClaim("scope"))).containsExactlyInAnyOrderElementsOf(
				Scope.parse("openid api profile email"));
		assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());
		assertThat(claims.getIssuer()).isEqualTo(provider.getIssuer().getValue());

		// OpenID Connect: the ID token for this client, with the nonce of this request.
		IDTokenValidator idTokens = new IDTokenValidator(provider.getIssuer(), new ClientID(client.client().id()),
				new JWSVerificationKeySelector<>(SIGNING_ALGORITHMS, jwks()), null);
		IDTokenClaimsSet idClaims = idTokens.validate(tokens.getOIDCTokens().getIDToken(), nonce);
		assertThat(idClaims.getSubject().getValue()).isEqualTo(String.valueOf(accountId));
		assertThat(idClaims.getStringClaim("name")).isEqualTo("Grace Hopper");
		assertThat(idClaims.getStringClaim("email")).isEqualTo("grace@example.com");

		// The access token works at /userinfo and on the REST API (the super admin holds view-auth_clients).
		HttpResponse<String> userinfo = get(provider.getUserInfoEndpointURI(), accessToken);
		assertThat(userinfo.statusCode()).isEqualTo(200);
		assertThat(userinfo.body()).contains("\"sub\":\"" + accountId + "\"", "\"email\":\"grace@example.com\"");
		assertThat(get(apiList(), accessToken).statusCode()).isEqualTo(200);

		// Refresh rotates: a new refresh token, whose access token works too.
		Tokens refreshed = refresh(refreshToken).toSuccessResponse().getTokens();
		assertThat(refreshed.getRefreshToken()).isNotNull().isNotEqualTo(refreshToken);
		validateAccessToken(refreshed.getAccessToken());
		assertThat(get(apiList(), refreshed.getAccessToken()).statusCode()).isEqualTo(200);

		// RFC 7009: the client revokes the new access token, and the API refuses it at once.
		HTTPResponse revoked = new TokenRevocationRequest(provider.getRevocationEndpointURI(), clientSecret(),
				refreshed.getAccessToken()).toHTTPRequest().send();
		assertThat(revoked.getStatusCode()).isEqualTo(200);
		HttpResponse<String> afterRevocation = get(apiList(), refreshed.getAccessToken());
		assertThat(afterRevocation.statusCode()).isEqualTo(401);
		assertThat(afterRevocation.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
				value -> assertThat(value).startsWith("Bearer").contains("invalid_token"));

		// The used refresh token is refused (and its reuse revokes the grant, so the new one is refused too).
		assertThat(refreshError(refreshToken)).isEqualTo(OAuth2Error.INVALID_GRANT.getCode());
		assertThat(refreshError(refreshed.getRefreshToken())).isEqualTo(OAuth2Error.INVALID_GRANT.getCode());
	}

	@Test
	void codeFlowWhenConsentRememberedThenLoginLeadsStraightBackToClient() throws Exception {
		Browser page = browser.get();
		page.login(USERNAME, PASSWORD);
		page.driver().get(authorizationRequest(redirect, new State(), new Nonce(), new CodeVerifier()).toString());
		waitForPath(page, "/oauth/consent?");
		page.click("Allow");
		waitForRedirect(page, redirect);

		// A new browser session: the client sends the user again; after the login the consent is not asked again.
		page.open("/login");
		page.forgetSession();
		State state = new State();
		page.driver().get(authorizationRequest(redirect, state, new Nonce(), new CodeVerifier()).toString());
		assertThat(page.currentPath()).isEqualTo("/login");
		page.fill("Username", USERNAME);
		page.fill("Password", PASSWORD);
		page.click("Log in");

		AuthorizationResponse response = AuthorizationResponse.parse(waitForRedirect(page, redirect));
		assertThat(response.indicatesSuccess()).isTrue();
		assertThat(response.getState()).isEqualTo(state);
	}

	@Test
	void authorizeWhenRedirectUriUnregisteredThenErrorPageAndBrowserStaysOnServer() throws Exception {
		Browser page = browser.get();
		page.login(USERNAME, PASSWORD);

		for (URI unregistered : List.of(URI.create("https://evil.example/callback"),
				URI.create(redirect.toString() + "/other"), URI.create(redirect.toString().replace("127.0.0.1",
						"localhost")))) {
			page.driver().get(authorizationRequest(unregistered, new State(), new Nonce(),
					new CodeVerifier()).toString());

			String current = page.driver().getCurrentUrl();
			assertThat(current).as(unregistered.toString()).startsWith(server + "/");
			assertThat(URI.create(current).getHost()).isEqualTo("localhost");
			assertThat(page.text("h1")).as(unregistered.toString()).isEqualTo("Invalid request");
			assertThat(page.pageText()).as(unregistered.toString()).contains("not registered for",
					"you were not sent back to it");
		}
	}

	@Test
	void consentWhenUserDeniesThenNimbusParsesAccessDenied() throws Exception {
		Browser page = browser.get();
		page.login(USERNAME, PASSWORD);
		State state = new State();

		page.driver().get(authorizationRequest(redirect, state, new Nonce(), new CodeVerifier()).toString());
		waitForPath(page, "/oauth/consent?");
		assertThat(page.text("#client-name")).isEqualTo(client.client().name());
		page.click("Deny");

		AuthorizationResponse response = AuthorizationResponse.parse(waitForRedirect(page, redirect));
		assertThat(response.indicatesSuccess()).isFalse();
		AuthorizationErrorResponse error = response.toErrorResponse();
		assertThat(error.getErrorObject().getCode()).isEqualTo(OAuth2Error.ACCESS_DENIED.getCode());
		assertThat(error.getState()).isEqualTo(state);
	}

	/**
	 * PAR + PKCE (RFC 9126, RFC 7636) with Nimbus as the client, a client that requires PAR: the request is pushed
	 * with the client's secret, the browser carries only the request URI through login and consent, and the code is
	 * exchanged with the verifier. Then RP-initiated logout ends the console session and sends the browser back to the
	 * registered post-logout URL with the client's state.
	 */
	@Test
	void pushedCodeFlowWhenUserAllowsThenTokensAndLogoutEndsSessionBackAtClient() throws Exception {
		URI signedOut = URI.create("http://127.0.0.1:" + freePort() + "/signed-out");
		client = clients.create(new AuthClientDraft("Nimbus PAR " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of(redirect.toString()), false, false, true,
				List.of(signedOut.toString())));
		Browser page = browser.get();
		State state = new State();
		Nonce nonce = new Nonce();
		CodeVerifier verifier = new CodeVerifier();

		// a browser sent with the parameters in the URL is refused for this client
		page.driver().get(authorizationRequest(redirect, state, nonce, verifier).toString());
		assertThat(page.pageText()).doesNotContain("Allow");

		PushedAuthorizationResponse pushed = PushedAuthorizationResponse.parse(new PushedAuthorizationRequest(
				provider.getPushedAuthorizationRequestEndpointURI(), clientSecret(),
				AuthenticationRequest.parse(authorizationRequest(redirect, state, nonce, verifier)))
			.toHTTPRequest().send());
		assertThat(pushed.indicatesSuccess()).isTrue();
		URI requestUri = pushed.toSuccessResponse().getRequestURI();

		page.driver().get(new AuthorizationRequest.Builder(requestUri, new ClientID(client.client().id()))
			.endpointURI(provider.getAuthorizationEndpointURI()).build().toURI().toString());
		if (page.currentPath().equals("/login")) {
			page.fill("Username", USERNAME);
			page.fill("Password", PASSWORD);
			page.click("Log in");
		}
		waitForPath(page, "/oauth/consent?");
		assertThat(page.text("#client-name")).isEqualTo(client.client().name());
		page.click("Allow");
		AuthorizationSuccessResponse success = AuthorizationResponse.parse(waitForRedirect(page, redirect))
			.toSuccessResponse();
		assertThat(success.getState()).isEqualTo(state);

		TokenResponse tokenResponse = OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(),
				clientSecret(), new AuthorizationCodeGrant(success.getAuthorizationCode(), redirect, verifier))
			.toHTTPRequest().send());
		assertThat(tokenResponse.indicatesSuccess()).as(describe(tokenResponse)).isTrue();
		OIDCTokenResponse tokens = (OIDCTokenResponse) tokenResponse.toSuccessResponse();
		assertThat(get(apiList(), tokens.getOIDCTokens().getAccessToken()).statusCode()).isEqualTo(200);

		// RP-initiated logout, built by Nimbus from the end_session_endpoint in discovery
		State logoutState = new State();
		try {
			page.driver().get(new LogoutRequest(provider.getEndSessionEndpointURI(),
					tokens.getOIDCTokens().getIDToken(), signedOut, logoutState).toURI().toString());
		}
		catch (WebDriverException ex) {
			// nothing listens at the client's loopback port: Chromium reports the failed load of where it was sent
		}
		URI back = waitForRedirect(page, signedOut);
		assertThat(back.getQuery()).isEqualTo("state=" + logoutState.getValue());
		page.driver().get(server + "/profile");
		assertThat(page.currentPath()).isEqualTo("/login");
	}

	/**
	 * PAR + PKCE + DPoP: the request pushed, the user signing in and allowing in Chromium with the request URI
	 * alone, the code exchanged with a DPoP proof for a token bound to the client's key, which the REST API takes
	 * with a proof of each request and refuses as a plain bearer token.
	 */
	@Test
	void pushedCodeFlowWithDPoPWhenUserAllowsThenBoundTokenWorksOnApiOnlyWithProof() throws Exception {
		client = clients.create(new AuthClientDraft("Nimbus PAR DPoP " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of(redirect.toString()), false, false, true, List.of(),
				false, true));
		ECKey key = new ECKeyGenerator(Curve.P_256).generate();
		DPoPProofFactory proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
		State state = new State();
		CodeVerifier verifier = new CodeVerifier();
		PushedAuthorizationResponse pushed = PushedAuthorizationResponse.parse(new PushedAuthorizationRequest(
				provider.getPushedAuthorizationRequestEndpointURI(), clientSecret(),
				AuthenticationRequest.parse(authorizationRequest(redirect, state, new Nonce(), verifier)))
			.toHTTPRequest().send());
		assertThat(pushed.indicatesSuccess()).isTrue();

		Browser page = browser.get();
		page.driver().get(new AuthorizationRequest.Builder(pushed.toSuccessResponse().getRequestURI(),
				new ClientID(client.client().id())).endpointURI(provider.getAuthorizationEndpointURI()).build()
			.toURI().toString());
		if (page.currentPath().equals("/login")) {
			page.fill("Username", USERNAME);
			page.fill("Password", PASSWORD);
			page.click("Log in");
		}
		waitForPath(page, "/oauth/consent?");
		page.click("Allow");
		AuthorizationSuccessResponse success = AuthorizationResponse.parse(waitForRedirect(page, redirect))
			.toSuccessResponse();
		assertThat(success.getState()).isEqualTo(state);

		com.nimbusds.oauth2.sdk.http.HTTPRequest exchange = new TokenRequest(provider.getTokenEndpointURI(),
				clientSecret(), new AuthorizationCodeGrant(success.getAuthorizationCode(), redirect, verifier))
			.toHTTPRequest();
		exchange.setDPoP(proofs.createDPoPJWT("POST", provider.getTokenEndpointURI()));
		TokenResponse tokenResponse = OIDCTokenResponseParser.parse(exchange.send());
		assertThat(tokenResponse.indicatesSuccess()).as(describe(tokenResponse)).isTrue();
		AccessToken token = tokenResponse.toSuccessResponse().getTokens().getAccessToken();
		assertThat(token.getType()).isEqualTo(AccessTokenType.DPOP);

		HttpResponse<String> withProof = http.send(HttpRequest.newBuilder(apiList())
			.header("Authorization", "DPoP " + token.getValue())
			.header("DPoP", proofs.createDPoPJWT("GET", apiList(), token).serialize()).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(withProof.statusCode()).as(withProof.body()).isEqualTo(200);
		HttpResponse<String> asBearer = http.send(HttpRequest.newBuilder(apiList())
			.header("Authorization", "Bearer " + token.getValue()).GET().build(), HttpResponse.BodyHandlers.ofString());
		assertThat(asBearer.statusCode()).isEqualTo(401);
		assertThat(asBearer.headers().firstValue("WWW-Authenticate").orElse(""))
			.startsWith("DPoP error=\"invalid_token\"");
	}

	/** An OpenID Connect authorization request with PKCE S256, built by Nimbus from the discovery document. */
	private URI authorizationRequest(URI redirectUri, State state, Nonce nonce, CodeVerifier verifier) {
		return new AuthenticationRequest.Builder(ResponseType.CODE, Scope.parse("openid api profile email"),
				new ClientID(client.client().id()), redirectUri)
			.endpointURI(provider.getAuthorizationEndpointURI())
			.state(state)
			.nonce(nonce)
			.codeChallenge(verifier, CodeChallengeMethod.S256)
			.build()
			.toURI();
	}

	/**
	 * Validates an access token with Nimbus alone, per RFC 9068: header {@code typ} {@code at+jwt}; a signature by a
	 * key of the server's JWKS; {@code iss} equal to the discovered issuer; {@code aud} holding the API;
	 * {@code client_id} this client; and {@code sub}, {@code exp}, {@code iat}, {@code jti}, {@code scope} present.
	 */
	private JWTClaimsSet validateAccessToken(AccessToken token) throws Exception {
		assertThat(SignedJWT.parse(token.getValue()).getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(SIGNING_ALGORITHMS, jwks()));
		processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>("gatehouse-api",
				new JWTClaimsSet.Builder().issuer(provider.getIssuer().getValue())
					.claim("client_id", client.client().id())
					.build(),
				Set.of("iss", "sub", "aud", "client_id", "exp", "iat", "jti", "scope")));
		return processor.process(token.getValue(), null);
	}

	private JWKSource<SecurityContext> jwks() throws IOException {
		URL jwkSet = provider.getJWKSetURI().toURL();
		assertThat(jwkSet.getPath()).isEqualTo("/oauth/jwks");
		return JWKSourceBuilder.<SecurityContext>create(jwkSet).retrying(false).build();
	}

	private ClientAuthentication clientSecret() {
		return new ClientSecretBasic(new ClientID(client.client().id()), new Secret(client.secret()));
	}

	private TokenResponse refresh(RefreshToken refreshToken) throws Exception {
		TokenRequest request = new TokenRequest(provider.getTokenEndpointURI(), clientSecret(),
				new RefreshTokenGrant(refreshToken));
		TokenResponse response = TokenResponse.parse(request.toHTTPRequest().send());
		return response;
	}

	private String refreshError(RefreshToken refreshToken) throws Exception {
		TokenResponse response = refresh(refreshToken);
		assertThat(response.indicatesSuccess()).as("refresh with a used token").isFalse();
		return response.toErrorResponse().getErrorObject().getCode();
	}

	private URI apiList() {
		return URI.create(server + "/api/1.0/auth-clients");
	}

	private HttpResponse<String> get(URI uri, AccessToken token) throws Exception {
		return http.send(HttpRequest.newBuilder(uri).header("Authorization", token.toAuthorizationHeader())
			.timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private static void waitForPath(Browser page, String prefix) {
		new WebDriverWait(page.driver(), Duration.ofSeconds(10)).withMessage(() -> "waiting for " + prefix
				+ ", at " + page.driver().getCurrentUrl() + ": " + page.pageText())
			.until(driver -> page.currentPath().startsWith(prefix));
	}

	/** Waits until the browser has been sent to {@code redirectUri}; returns the full URI it was sent to. */
	private static URI waitForRedirect(Browser page, URI redirectUri) {
		new WebDriverWait(page.driver(), Duration.ofSeconds(10)).withMessage(() -> "waiting for a redirect to "
				+ redirectUri + ", at " + page.driver().getCurrentUrl() + ": " + page.pageText())
			.until(driver -> driver.getCurrentUrl().startsWith(redirectUri + "?"));
		return URI.create(page.driver().getCurrentUrl());
	}

	private static String describe(TokenResponse response) {
		return response instanceof TokenErrorResponse error ? "token error " + error.getErrorObject().toJSONObject()
				: "token response";
	}

	/** A loopback port that nothing listens on once this returns. */
	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
