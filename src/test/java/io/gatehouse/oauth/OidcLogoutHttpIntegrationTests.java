package io.gatehouse.oauth;

import java.net.URI;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenID Connect RP-Initiated Logout 1.0 at {@code /oauth/logout}: with the ID token it got, a client ends the user's
 * console session and has the browser sent back only to a post-logout redirect URI registered for it.
 */
@GatehouseHttpTest
class OidcLogoutHttpIntegrationTests {

	static final String REDIRECT = "https://app.example.com/callback";

	static final String SIGNED_OUT = "https://app.example.com/signed-out";

	@LocalServerPort
	int port;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	IssuedSecret client;

	OAuthHttp browser;

	String username;

	@BeforeEach
	void setUp() {
		client = clients.create(new AuthClientDraft("OIDC web " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of(REDIRECT), false, false, false, List.of(SIGNED_OUT)));
		User user = TestAccounts.user().username("logout-" + UUID.randomUUID()).create(jdbc);
		username = user.username();
		browser = new OAuthHttp(port, json).signIn(user.username(), TestAccounts.PASSWORD);
	}

	@Test
	void logoutWhenIdTokenAndRegisteredPostLogoutUriThenSessionEndedAndSentBackWithState() {
		String idToken = idToken();
		var logout = browser.request("GET", "/oauth/logout")
			.query("id_token_hint=" + idToken + "&post_logout_redirect_uri=" + OAuthHttp.encode(SIGNED_OUT)
					+ "&state=bye")
			.accept("text/html")
			.send();
		assertThat(logout.status()).as(logout.toString()).isEqualTo(302);
		assertThat(logout.location()).isEqualTo(SIGNED_OUT + "?state=bye");
		assertThat(signedIn()).isFalse();
	}

	@Test
	void logoutWhenClientAsksToRevokeTokensThenItsTokensEndWithTheSession() {
		client = clients.create(new AuthClientDraft("OIDC strict " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of(REDIRECT), false, false, false, List.of(SIGNED_OUT),
				true));
		JsonNode tokens = tokens();
		var logout = browser.request("GET", "/oauth/logout")
			.query("id_token_hint=" + tokens.get("id_token").asString() + "&post_logout_redirect_uri="
					+ OAuthHttp.encode(SIGNED_OUT))
			.accept("text/html")
			.send();
		assertThat(logout.status()).as(logout.toString()).isEqualTo(302);
		assertThat(signedIn()).isFalse();
		assertThat(introspect(tokens.get("access_token").asString())).isFalse();
		var refresh = refresh(tokens.get("refresh_token").asString());
		assertThat(refresh.status()).as(refresh.toString()).isEqualTo(400);
		assertThat(refresh.error()).isEqualTo("invalid_grant");
		// access, refresh and ID token of the one grant
		assertThat(loggedOutRecord()).containsEntry("actor_username", username)
			.containsEntry("subject_name", username);
		assertThat((String) loggedOutRecord().get("changes")).contains("\"revoked_tokens\"")
			.contains("\"to\":\"3\"").contains(client.client().id());
	}

	@Test
	void logoutWhenClientDoesNotAskToRevokeTokensThenTheyKeepWorking() {
		JsonNode tokens = tokens();
		var logout = browser.request("GET", "/oauth/logout")
			.query("id_token_hint=" + tokens.get("id_token").asString() + "&post_logout_redirect_uri="
					+ OAuthHttp.encode(SIGNED_OUT))
			.accept("text/html")
			.send();
		assertThat(logout.status()).as(logout.toString()).isEqualTo(302);
		assertThat(introspect(tokens.get("access_token").asString())).isTrue();
		assertThat(refresh(tokens.get("refresh_token").asString()).status()).isEqualTo(200);
		assertThat((String) loggedOutRecord().get("changes")).contains("\"to\":\"0\"")
			.doesNotContain(tokens.get("id_token").asString());
	}

	@Test
	void logoutWhenRefusedThenNothingAudited() {
		var logout = browser.request("GET", "/oauth/logout")
			.query("id_token_hint=" + idToken() + "&post_logout_redirect_uri="
					+ OAuthHttp.encode("https://evil.example/signed-out"))
			.accept("text/html")
			.send();
		assertThat(logout.status()).as(logout.toString()).isEqualTo(400);
		assertThat(jdbc.sql("select count(*) from audit_record where subject_type = 'oauth_session' "
				+ "and client_id = :client").param("client", client.client().id()).query(Long.class).single())
			.isZero();
	}

	/** The one audit record of the user's logout through the client. */
	private java.util.Map<String, Object> loggedOutRecord() {
		return jdbc.sql("""
				select actor_username, subject_name, changes from audit_record
				where subject_type = 'oauth_session' and action = 'logged_out' and client_id = :client
				""").param("client", client.client().id()).query().singleRow();
	}

	private boolean introspect(String accessToken) {
		var response = browser.post("/oauth/introspect").basic(client.client().id(), client.secret())
			.form("token", accessToken).send();
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json().get("active").asBoolean();
	}

	private OAuthHttp.Response refresh(String refreshToken) {
		return browser.post("/oauth/token").basic(client.client().id(), client.secret())
			.form("grant_type", "refresh_token", "refresh_token", refreshToken).send();
	}

	@Test
	void logoutWhenPostLogoutUriNotRegisteredThenRefusedAndStillSignedIn() {
		String idToken = idToken();
		var logout = browser.request("GET", "/oauth/logout")
			.query("id_token_hint=" + idToken + "&post_logout_redirect_uri="
					+ OAuthHttp.encode("https://evil.example/signed-out"))
			.accept("text/html")
			.send();
		assertThat(logout.status()).as(logout.toString()).isEqualTo(400);
		assertThat(logout.location()).isNull();
		assertThat(signedIn()).isTrue();
	}

	@Test
	void logoutWhenPostLogoutUriOnlyPrefixOfRegisteredThenRefused() {
		String idToken = idToken();
		var logout = browser.request("GET", "/oauth/logout")
			.query("id_token_hint=" + idToken + "&post_logout_redirect_uri="
					+ OAuthHttp.encode(SIGNED_OUT + "/../evil"))
			.accept("text/html")
			.send();
		assertThat(logout.status()).as(logout.toString()).isEqualTo(400);
		assertThat(signedIn()).isTrue();
	}

	@Test
	void logoutWhenIdTokenHintUnknownThenRefusedAndStillSignedIn() {
		var logout = browser.request("GET", "/oauth/logout")
			.query("id_token_hint=not-an-id-token&post_logout_redirect_uri=" + OAuthHttp.encode(SIGNED_OUT))
			.accept("text/html")
			.send();
		assertThat(logout.status()).as(logout.toString()).isEqualTo(400);
		assertThat(logout.location()).isNull();
		assertThat(signedIn()).isTrue();
	}

	@Test
	void discoveryWhenServedThenNamesEndSessionEndpoint() {
		var metadata = browser.request("GET", "/.well-known/openid-configuration").send().json();
		assertThat(metadata.get("end_session_endpoint").asString()).isEqualTo(browser.base() + "/oauth/logout");
	}

	/** Whether the browser's console session still signs it in. */
	private boolean signedIn() {
		var profile = browser.request("GET", "/profile").accept("text/html").send();
		return profile.status() == 200;
	}

	private String idToken() {
		return tokens().get("id_token").asString();
	}

	/** The code flow with the openid scope, as the signed-in user: the token response the client gets. */
	private JsonNode tokens() {
		var authorize = browser.request("GET", "/oauth/authorize")
			.query("response_type=code&scope=" + OAuthHttp.encode("openid api") + "&state=st&client_id="
					+ client.client().id() + "&redirect_uri=" + OAuthHttp.encode(REDIRECT))
			.accept("text/html")
			.send();
		assertThat(authorize.status()).as(authorize.toString()).isEqualTo(302);
		URI consentUri = URI.create(authorize.location());
		Document consent = Jsoup.parse(browser.request("GET", consentUri.getRawPath())
			.query(consentUri.getRawQuery()).accept("text/html").send().body());
		var allowed = browser.post("/oauth/authorize").form("client_id", client.client().id(), "state",
				consent.select("input[name=state]").val(), "scope", "api", "_csrf",
				consent.select("input[name=_csrf]").val()).send();
		assertThat(allowed.status()).as(allowed.toString()).isEqualTo(302);
		String code = OAuthHttp.queryParameters(URI.create(allowed.location()).getRawQuery()).get("code");
		var tokens = browser.post("/oauth/token").basic(client.client().id(), client.secret())
			.form("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT)
			.send();
		assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
		return tokens.json();
	}

}
