package io.gatehouse.oauth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.support.GatehouseHttpTest;
import io.gatehouse.support.TestAccounts;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9126 4: a {@code request_uri} is used once. Two browsers, each with its own cookies, present the same request
 * URI at the same moment, released together by a barrier, over many rounds: at most one of them reaches the consent
 * page and at most one code is ever issued; the other sees {@code invalid_request_uri}. The browser that saw the
 * request URI first keeps it across its sign-in detour, and no other browser can use it meanwhile.
 */
@GatehouseHttpTest
class PushedAuthorizationRequestRaceHttpIntegrationTests {

	static final String REDIRECT = "https://app.example.com/callback";

	static final String VERIFIER = "pushed-request-race-code-verifier-0123456789-abcdefgh";

	static final int ROUNDS = 25;

	@LocalServerPort
	int port;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	IssuedSecret client;

	OAuthHttp http;

	User alice;

	User bob;

	final ExecutorService threads = Executors.newFixedThreadPool(2);

	@BeforeEach
	void setUp() {
		client = clients.create(new AuthClientDraft("PAR race " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of(REDIRECT)));
		http = new OAuthHttp(port, json);
		alice = TestAccounts.user().username("par-a-" + UUID.randomUUID()).create(jdbc);
		bob = TestAccounts.user().username("par-b-" + UUID.randomUUID()).create(jdbc);
	}

	@AfterEach
	void tearDown() {
		threads.shutdownNow();
	}

	@Test
	void authorizeWhenTwoSignedInBrowsersUseOneRequestUriTogetherThenAtMostOneReachesConsentAndOneCode()
			throws Exception {
		OAuthHttp first = http.signIn(alice.username(), TestAccounts.PASSWORD);
		OAuthHttp second = http.signIn(bob.username(), TestAccounts.PASSWORD);
		int codes = 0;
		for (int round = 0; round < ROUNDS; round++) {
			String requestUri = push();
			CyclicBarrier together = new CyclicBarrier(2);
			Future<Outcome> one = threads.submit(() -> race(first, requestUri, together));
			Future<Outcome> other = threads.submit(() -> race(second, requestUri, together));
			List<Outcome> outcomes = List.of(one.get(30, TimeUnit.SECONDS), other.get(30, TimeUnit.SECONDS));
			assertThat(outcomes.stream().filter(Outcome::reachedConsent).count()).as("round %d: %s", round, outcomes)
				.isLessThanOrEqualTo(1);
			assertThat(outcomes.stream().filter(outcome -> outcome.code() != null).count())
				.as("round %d: %s", round, outcomes).isLessThanOrEqualTo(1);
			// whoever did not get through was told why, on the error page, never redirected
			assertThat(outcomes).as("round %d", round)
				.allMatch(outcome -> outcome.code() != null || outcome.refusedAsUsed());
			codes += (int) outcomes.stream().filter(outcome -> outcome.code() != null).count();
		}
		assertThat(codesIssued()).isEqualTo(codes).isLessThanOrEqualTo(ROUNDS).isPositive();
	}

	/** A double click, or two tabs: one browser, one session, the same request URI twice at once. */
	@Test
	void authorizeWhenOneBrowserSendsRequestUriTwiceTogetherThenAtMostOneCodeAndNothingElseStored() throws Exception {
		OAuthHttp browser = http.signIn(alice.username(), TestAccounts.PASSWORD);
		int codes = 0;
		for (int round = 0; round < ROUNDS; round++) {
			String requestUri = push();
			CyclicBarrier together = new CyclicBarrier(2);
			Future<Outcome> one = threads.submit(() -> race(browser, requestUri, together));
			Future<Outcome> other = threads.submit(() -> race(browser, requestUri, together));
			List<Outcome> outcomes = List.of(one.get(30, TimeUnit.SECONDS), other.get(30, TimeUnit.SECONDS));
			assertThat(outcomes.stream().filter(Outcome::reachedConsent).count()).as("round %d: %s", round, outcomes)
				.isLessThanOrEqualTo(1);
			assertThat(outcomes.stream().filter(outcome -> outcome.code() != null).count())
				.as("round %d: %s", round, outcomes).isLessThanOrEqualTo(1);
			assertThat(outcomes).as("round %d", round)
				.allMatch(outcome -> outcome.code() != null || outcome.refusedAsUsed());
			codes += (int) outcomes.stream().filter(outcome -> outcome.code() != null).count();
		}
		// the request that lost stored no code (nor consent state) of its own
		assertThat(codesIssued()).isEqualTo(codes).isLessThanOrEqualTo(ROUNDS).isPositive();
	}

	@Test
	void authorizeWhenTwoSignedOutBrowsersUseOneRequestUriTogetherThenAtMostOneCodeAfterSignIn() throws Exception {
		int codes = 0;
		for (int round = 0; round < ROUNDS; round++) {
			String requestUri = push();
			CyclicBarrier together = new CyclicBarrier(2);
			OAuthHttp first = http.browser();
			OAuthHttp second = http.browser();
			Future<Outcome> one = threads.submit(() -> raceSignedOut(first, alice, requestUri, together));
			Future<Outcome> other = threads.submit(() -> raceSignedOut(second, bob, requestUri, together));
			List<Outcome> outcomes = List.of(one.get(30, TimeUnit.SECONDS), other.get(30, TimeUnit.SECONDS));
			assertThat(outcomes.stream().filter(Outcome::reachedConsent).count()).as("round %d: %s", round, outcomes)
				.isLessThanOrEqualTo(1);
			assertThat(outcomes.stream().filter(outcome -> outcome.code() != null).count())
				.as("round %d: %s", round, outcomes).isLessThanOrEqualTo(1);
			assertThat(outcomes).as("round %d", round)
				.allMatch(outcome -> outcome.code() != null || outcome.refusedAsUsed());
			codes += (int) outcomes.stream().filter(outcome -> outcome.code() != null).count();
		}
		assertThat(codesIssued()).isEqualTo(codes).isLessThanOrEqualTo(ROUNDS).isPositive();
	}

	@Test
	void authorizeWhenAnotherBrowserUsesRequestUriDuringSignInDetourThenRefusedAndFirstBrowserGetsCode() {
		String requestUri = push();
		OAuthHttp signedOut = http.browser();
		var detour = authorize(signedOut, requestUri);
		assertThat(detour.status()).as(detour.toString()).isEqualTo(302);
		assertThat(URI.create(detour.location()).getPath()).isEqualTo("/login");

		// someone who read the URL off the first browser tries it, signed in as themselves
		var stolen = authorize(http.signIn(bob.username(), TestAccounts.PASSWORD), requestUri);
		assertThat(stolen.status()).as(stolen.toString()).isEqualTo(400);
		assertThat(stolen.location()).isNull();
		assertThat(stolen.body()).contains("invalid_request_uri");

		// the first browser signs in and comes back to its request
		String next = signedOut.logIn(alice.username(), TestAccounts.PASSWORD);
		Outcome outcome = follow(signedOut, signedOut.request("GET", URI.create(next).getRawPath())
			.query(URI.create(next).getRawQuery()).accept("text/html").send());
		assertThat(outcome.code()).as(outcome.toString()).isNotBlank();
		assertThat(codesIssued()).isEqualTo(1);
	}

	private Outcome race(OAuthHttp browser, String requestUri, CyclicBarrier together) throws Exception {
		together.await(10, TimeUnit.SECONDS);
		return follow(browser, authorize(browser, requestUri));
	}

	private Outcome raceSignedOut(OAuthHttp browser, User user, String requestUri, CyclicBarrier together)
			throws Exception {
		together.await(10, TimeUnit.SECONDS);
		var first = authorize(browser, requestUri);
		if (first.status() != 302 || !"/login".equals(URI.create(first.location()).getPath())) {
			return follow(browser, first);
		}
		String next = browser.logIn(user.username(), TestAccounts.PASSWORD);
		return follow(browser, browser.request("GET", URI.create(next).getRawPath())
			.query(URI.create(next).getRawQuery()).accept("text/html").send());
	}

	/**
	 * Where the browser goes from an authorization response: consent (allowed), then the redirect with a code; or
	 * the code at once, once the user's consent is remembered.
	 */
	private Outcome follow(OAuthHttp browser, OAuthHttp.Response authorize) {
		if (authorize.status() == 302 && authorize.location().startsWith(REDIRECT + "?")) {
			return new Outcome(false,
					OAuthHttp.queryParameters(URI.create(authorize.location()).getRawQuery()).get("code"), 302, "");
		}
		if (authorize.status() != 302 || !authorize.location().contains("/oauth/consent?")) {
			return new Outcome(false, null, authorize.status(), authorize.body());
		}
		URI consentUri = URI.create(authorize.location());
		Document consent = Jsoup.parse(browser.request("GET", consentUri.getRawPath())
			.query(consentUri.getRawQuery()).accept("text/html").send().body());
		var allowed = browser.post("/oauth/authorize").form("client_id", client.client().id(), "state",
				consent.select("input[name=state]").val(), "scope", "api", "_csrf",
				consent.select("input[name=_csrf]").val()).send();
		if (allowed.status() != 302 || !allowed.location().startsWith(REDIRECT + "?")) {
			return new Outcome(true, null, allowed.status(), allowed.body());
		}
		return new Outcome(true, OAuthHttp.queryParameters(URI.create(allowed.location()).getRawQuery()).get("code"),
				allowed.status(), "");
	}

	private OAuthHttp.Response authorize(OAuthHttp browser, String requestUri) {
		return browser.request("GET", "/oauth/authorize")
			.query("client_id=" + client.client().id() + "&request_uri=" + OAuthHttp.encode(requestUri))
			.accept("text/html")
			.send();
	}

	private String push() {
		var pushed = http.post("/oauth/par").basic(client.client().id(), client.secret())
			.form("response_type", "code", "client_id", client.client().id(), "redirect_uri", REDIRECT, "scope", "api",
					"state", "race-state", "code_challenge", challenge(), "code_challenge_method", "S256")
			.send();
		assertThat(pushed.status()).as(pushed.toString()).isEqualTo(201);
		return pushed.json().get("request_uri").asString();
	}

	private long codesIssued() {
		return jdbc.sql("""
				select count(*) from oauth_token t join oauth_authorization a on a.id = t.authorization_id
				where a.client_id = :client and t.token_type = 'code'
				""").param("client", client.client().id()).query(Long.class).single();
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

	/** What one browser got: whether it saw the consent page, the code it was sent back with, the last answer. */
	record Outcome(boolean reachedConsent, String code, int status, String body) {

		boolean refusedAsUsed() {
			return status == 400 && body.contains("invalid_request_uri");
		}

		@Override
		public String toString() {
			return "consent=" + reachedConsent + " code=" + (code != null) + " status=" + status + " "
					+ body.substring(0, Math.min(body.length(), 200));
		}

	}

}
