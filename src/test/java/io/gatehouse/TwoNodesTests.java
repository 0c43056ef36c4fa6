package io.gatehouse;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.gatehouse.support.GatehouseHttp;
import io.gatehouse.support.GatehouseHttp.Response;
import io.gatehouse.support.GatehouseProcess;
import io.gatehouse.support.PostgresTestDatabase;
import io.gatehouse.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Two Gatehouse nodes, each the real application in a child JVM, on one PostgreSQL database, as behind a load
 * balancer without sticky sessions. A change made through node A must be honoured by node B within
 * {@link #BOUND} of A's answer: B is used first, so that whatever it caches about the thing is cached, then A changes
 * it, then B is asked again until it shows the change, and the test fails if it still has not after the bound. Failed
 * logins count on both nodes together, and a browser's session (signed in on A) goes on on B. Finally B's listening
 * connection is killed: B must not serve what changed meanwhile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoNodesTests {

	/** The staleness bound the README promises (cluster.ChangeSignals.STALENESS_BOUND). */
	private static final Duration BOUND = Duration.ofSeconds(1);

	private static final String ISSUER = "https://gatehouse.test";

	private static final String API = "/api/1.0/auth-clients?per_page=1";

	private static final String REDIRECT = "https://app.example/callback";

	private static final String OTHER_REDIRECT = "https://app.example/other";

	private Path directory;

	private String databaseUrl;

	private GatehouseProcess nodeA;

	private GatehouseProcess nodeB;

	/** The super admin, signed in on A, making every change. */
	private GatehouseHttp adminA;

	private GatehouseHttp httpB;

	@BeforeAll
	void startTwoNodesOnOneDatabase() throws Exception {
		directory = Files.createTempDirectory("gatehouse-two-nodes-");
		databaseUrl = PostgresTestDatabase.newDatabase();
		nodeA = node("a");
		nodeB = node("b");
		// both at once on the empty database, as a cluster's first start: migrations, the first admin and the first
		// signing key must each happen once
		CompletableFuture<?> a = CompletableFuture.runAsync(nodeA::start);
		CompletableFuture<?> b = CompletableFuture.runAsync(nodeB::start);
		CompletableFuture.allOf(a, b).join();
		adminA = new GatehouseHttp(nodeA.baseUri()).signIn(GatehouseProcess.ADMIN_USERNAME,
				GatehouseProcess.ADMIN_PASSWORD);
		httpB = new GatehouseHttp(nodeB.baseUri());
	}

	@AfterAll
	void stopNodes() {
		if (nodeA != null) {
			nodeA.close();
		}
		if (nodeB != null) {
			nodeB.close();
		}
	}

	private GatehouseProcess node(String name) throws Exception {
		return GatehouseProcess.in(Files.createDirectories(directory.resolve(name)))
			.env("SPRING_DATASOURCE_URL", databaseUrl)
			.env("SPRING_DATASOURCE_USERNAME", PostgresTestDatabase.USER)
			.env("SPRING_DATASOURCE_PASSWORD", PostgresTestDatabase.PASSWORD)
			.env("SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE", "4")
			.env("GATEHOUSE_KEY_ENCRYPTION_KEY", TestDatabases.KEY_ENCRYPTION_KEY)
			.env("GATEHOUSE_ISSUER", ISSUER);
	}

	@Test
	void revokeOnNodeAWhenTokenUsedOnNodeBThenRefusedThereWithinTheBound() {
		Client client = createClient("Revoked", "\"password_client\"", null);
		Response issued = password(nodeA, client, GatehouseProcess.ADMIN_USERNAME, GatehouseProcess.ADMIN_PASSWORD);
		String access = issued.json().get("access_token").asString();
		String refresh = issued.json().get("refresh_token").asString();
		assertThat(httpB.bearer(access, "GET", API, null).status()).as("the JWT on B's REST API").isEqualTo(200);
		assertThat(active(httpB, client, access)).as("introspected on B").isTrue();

		Response revoked = adminA.oauth("/oauth/revoke", client.id, client.secret, Map.of("token", refresh));
		assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);

		// a refresh is never served from a cache: refused at once
		Response refreshed = httpB.oauth("/oauth/token", client.id, client.secret,
				Map.of("grant_type", "refresh_token", "refresh_token", refresh));
		assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(400);
		assertThat(refreshed.json().get("error").asString()).isEqualTo("invalid_grant");
		withinBound("B's REST API refuses the revoked grant's JWT",
				() -> httpB.bearer(access, "GET", API, null).status() == 401);
		withinBound("B's introspection says inactive", () -> !active(httpB, client, access));
	}

	@Test
	void disableGrantOnNodeAThenNodeBRefusesItWithinTheBound() {
		Client client = createClient("Grant disabled", "\"client_credentials\", \"password_client\"", null);
		assertThat(clientCredentials(nodeB, client.id, client.secret).status()).isEqualTo(200);

		update(client, "\"password_client\"", null);

		withinBound("B answers unauthorized_client", () -> {
			Response answer = clientCredentials(nodeB, client.id, client.secret);
			return answer.status() == 400 && answer.json().get("error").asString().equals("unauthorized_client");
		});
	}

	@Test
	void removeRedirectOnNodeAThenNodeBNeverRedirectsThereWithinTheBound() {
		Client client = createClient("Redirect removed", "\"authorization_code_grant\"",
				"\"" + REDIRECT + "\", \"" + OTHER_REDIRECT + "\"");
		assertThat(authorize(nodeB, client.id, OTHER_REDIRECT).statusCode()).as("B sends the browser to log in")
			.isEqualTo(302);

		update(client, "\"authorization_code_grant\"", "\"" + REDIRECT + "\"");

		withinBound("B shows an error page for the removed redirect URI",
				() -> authorize(nodeB, client.id, OTHER_REDIRECT).statusCode() == 400);
		assertThat(authorize(nodeB, client.id, REDIRECT).statusCode()).as("the kept one still works").isEqualTo(302);
	}

	@Test
	void regenerateSecretOnNodeAThenNodeBTakesOnlyTheNewOneWithinTheBound() {
		Client client = createClient("Secret regenerated", "\"client_credentials\"", null);
		assertThat(clientCredentials(nodeB, client.id, client.secret).status()).isEqualTo(200);

		Response regenerated = adminA.session("POST", "/api/1.0/auth-clients/" + client.id + "/secret", null);
		assertThat(regenerated.status()).as(regenerated.toString()).isEqualTo(200);
		String newSecret = regenerated.json().get("secret").asString();

		withinBound("B refuses the old secret",
				() -> clientCredentials(nodeB, client.id, client.secret).status() == 401);
		withinBound("B takes the new secret", () -> clientCredentials(nodeB, client.id, newSecret).status() == 200);
	}

	@Test
	void deleteClientOnNodeAThenNodeBRefusesItWithinTheBound() {
		Client client = createClient("Deleted", "\"client_credentials\"", null);
		String token = clientCredentials(nodeB, client.id, client.secret).json().get("access_token").asString();

		Response deleted = adminA.session("DELETE", "/api/1.0/auth-clients/" + client.id, null);
		assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);

		withinBound("B refuses the deleted client",
				() -> clientCredentials(nodeB, client.id, client.secret).status() == 401);
		withinBound("B's introspection says its token is inactive", () -> {
			Client introspector = resourceServer();
			return !active(httpB, introspector, token);
		});
	}

	@Test
	void removePermissionAndDeactivateOnNodeAThenNodeBHonoursBothWithinTheBound() {
		String username = "moved-" + UUID.randomUUID();
		long userId = createUser(username, "user password 1");
		grant(userId, "\"view-auth_clients\"");
		Client client = createClient("Permissions", "\"password_client\"", null);
		String jwt = password(nodeA, client, username, "user password 1").json().get("access_token").asString();
		GatehouseHttp session = new GatehouseHttp(nodeB.baseUri()).signIn(username, "user password 1");
		assertThat(httpB.bearer(jwt, "GET", API, null).status()).isEqualTo(200);
		assertThat(session.session("GET", API, null).status()).isEqualTo(200);

		grant(userId, "");

		withinBound("B's REST API refuses the JWT without the permission",
				() -> httpB.bearer(jwt, "GET", API, null).status() == 403);
		withinBound("B refuses the session without the permission",
				() -> session.session("GET", API, null).status() == 403);

		Response deactivated = adminA.session("PUT", "/api/1.0/users/" + userId, "{\"active\": false}");
		assertThat(deactivated.status()).as(deactivated.toString()).isEqualTo(200);

		withinBound("B refuses the deactivated user's JWT", () -> httpB.bearer(jwt, "GET", API, null).status() == 401);
		withinBound("B signs the deactivated user out", () -> session.session("GET", API, null).status() == 401);
	}

	@Test
	void failLoginsOnBothNodesThenTheThrottleCountsThemTogether() {
		String username = "guessed-" + UUID.randomUUID();
		createUser(username, "right password");
		Client client = createClient("Throttle", "\"password_client\"", null);
		for (int i = 0; i < 3; i++) {
			assertThat(password(nodeA, client, username, "wrong " + i).status()).isEqualTo(400);
			assertThat(password(nodeB, client, username, "wrong " + i).status()).isEqualTo(400);
		}

		assertThat(password(nodeA, client, username, "right password").status())
			.as("6 failures on two nodes: even the right password waits, on A").isEqualTo(400);
		assertThat(password(nodeB, client, username, "right password").status()).as("and on B").isEqualTo(400);
	}

	@Test
	void loginOnNodeAThenConsentOnNodeBThenTheCodeFlowCompletes() throws Exception {
		String username = "travelling-" + UUID.randomUUID();
		grant(createUser(username, "user password 2"), "\"view-auth_clients\"");
		Client client = createClient("Code flow", "\"authorization_code_grant\"", "\"" + REDIRECT + "\"");
		Browser browser = new Browser();
		String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(UUID.randomUUID().toString()
			.repeat(2)
			.getBytes(StandardCharsets.US_ASCII));
		String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
				MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
		String authorize = "/oauth/authorize?response_type=code&client_id=" + client.id + "&scope=api&state=xyz"
				+ "&redirect_uri=" + encode(REDIRECT) + "&code_challenge=" + challenge + "&code_challenge_method=S256";

		// on A: the authorization request, then the login page and the login
		HttpResponse<String> toLogin = browser.get(nodeA, authorize);
		assertThat(toLogin.statusCode()).isEqualTo(302);
		assertThat(location(toLogin)).endsWith("/login");
		String loginForm = browser.get(nodeA, "/login").body();
		HttpResponse<String> loggedIn = browser.post(nodeA, "/login", Map.of("username", username, "password",
				"user password 2", "_csrf", field(loginForm, "_csrf")));
		assertThat(loggedIn.statusCode()).isEqualTo(302);
		String saved = path(location(loggedIn));
		assertThat(saved).as("the request saved across the login").startsWith("/oauth/authorize");

		// on B: the saved request, the consent page and the consent, with the session that began on A
		HttpResponse<String> toConsent = browser.get(nodeB, saved);
		assertThat(toConsent.statusCode()).as("B knows the session: %s", location(toConsent)).isEqualTo(302);
		assertThat(path(location(toConsent))).startsWith("/oauth/consent");
		HttpResponse<String> consentPage = browser.get(nodeB, path(location(toConsent)));
		assertThat(consentPage.statusCode()).isEqualTo(200);
		Map<String, String> consent = new LinkedHashMap<>();
		consent.put("client_id", client.id);
		consent.put("state", field(consentPage.body(), "state"));
		consent.put("scope", "api");
		consent.put("_csrf", field(consentPage.body(), "_csrf"));
		HttpResponse<String> redirected = browser.post(nodeB, "/oauth/authorize", consent);
		assertThat(redirected.statusCode()).as(redirected.body()).isEqualTo(302);
		String callback = location(redirected);
		assertThat(callback).startsWith(REDIRECT).contains("state=xyz");
		Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(callback);
		assertThat(code.find()).as(callback).isTrue();

		// the code is exchanged on A again
		Response tokens = adminA.oauth("/oauth/token", client.id, client.secret, Map.of("grant_type",
				"authorization_code", "code", java.net.URLDecoder.decode(code.group(1), StandardCharsets.UTF_8),
				"redirect_uri", REDIRECT, "code_verifier", verifier));
		assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
		assertThat(httpB.bearer(tokens.json().get("access_token").asString(), "GET", API, null).status())
			.as("the token works on B").isEqualTo(200);
	}

	@Test
	void killListeningConnectionOfNodeBThenNodeBNeverServesWhatChangedMeanwhile() throws Exception {
		Client client = createClient("Listener killed", "\"password_client\"", null);
		String access = password(nodeA, client, GatehouseProcess.ADMIN_USERNAME, GatehouseProcess.ADMIN_PASSWORD)
			.json()
			.get("access_token")
			.asString();
		assertThat(httpB.bearer(access, "GET", API, null).status()).isEqualTo(200);
		int listener = listeningBackend(nodeB);
		assertThat(listener).as("B's listening session in pg_stat_activity").isPositive();

		assertThat(sql("select pg_terminate_backend(" + listener + ")")).isEqualTo("t");
		Response revoked = adminA.oauth("/oauth/revoke", client.id, client.secret, Map.of("token", access));
		assertThat(revoked.status()).isEqualTo(200);

		withinBound("B refuses the token revoked while it was not listening",
				() -> httpB.bearer(access, "GET", API, null).status() == 401);
		long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		while (System.nanoTime() < until) {
			assertThat(httpB.bearer(access, "GET", API, null).status()).as("never served again while reconnecting")
				.isEqualTo(401);
		}
		assertThat(listeningBackend(nodeB)).as("B listens again, on a new session").isPositive().isNotEqualTo(listener);

		Client after = createClient("After reconnect", "\"client_credentials\"", null);
		assertThat(clientCredentials(nodeB, after.id, after.secret).status()).isEqualTo(200);
		update(after, "\"password_client\"", null);
		withinBound("signals flow again after the reconnect",
				() -> clientCredentials(nodeB, after.id, after.secret).status() == 400);
	}

	/**
	 * The control for every test above: they pass because of the change signal, not because B happens to read the
	 * database anyway. A change written straight into the database sends no signal, and B keeps serving what it
	 * cached well past the bound; the same signal Gatehouse sends after such a commit then makes B honour it within
	 * the bound. (So a change made outside Gatehouse, by SQL, reaches the nodes only when their caches expire.)
	 */
	@Test
	void changeWithoutSignalThenNodeBServesItsCacheUntilTheSignalArrives() throws Exception {
		Client client = createClient("Unsignalled", "\"client_credentials\"", null);
		assertThat(clientCredentials(nodeB, client.id, client.secret).status()).as("B caches the client")
			.isEqualTo(200);

		assertThat(sql("update auth_client set client_credentials = false, version = version + 1 where id = '"
				+ client.id + "' returning id")).isEqualTo(client.id);
		long until = System.nanoTime() + BOUND.multipliedBy(3).toNanos();
		while (System.nanoTime() < until) {
			assertThat(clientCredentials(nodeB, client.id, client.secret).status())
				.as("without a signal B still serves its cached client").isEqualTo(200);
			sleep(100);
		}

		sql("select pg_notify('gatehouse_changes', 'client:" + client.id + "')");
		withinBound("B honours the change once signalled",
				() -> clientCredentials(nodeB, client.id, client.secret).status() == 400);
	}

	/**
	 * Polls until {@code visible} holds; fails when it still does not {@link #BOUND} after the change was answered.
	 */
	private static void withinBound(String what, Supplier<Boolean> visible) {
		long deadline = System.nanoTime() + BOUND.toNanos();
		while (true) {
			long started = System.nanoTime();
			if (visible.get()) {
				return;
			}
			if (started - deadline > 0) {
				fail(what + ": still not so " + BOUND.toMillis() + " ms after the change was answered");
			}
			sleep(20);
		}
	}

	private record Client(String id, String secret) {
	}

	private Client introspector;

	/** A client that may introspect other clients' tokens, made once. */
	private synchronized Client resourceServer() {
		if (introspector == null) {
			Response created = adminA.session("POST", "/api/1.0/auth-clients", "{\"name\": \"Resource server "
					+ UUID.randomUUID() + "\", \"types\": [\"client_credentials\"], \"introspect_others\": true}");
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
			introspector = new Client(created.json().get("id").asString(), created.json().get("secret").asString());
		}
		return introspector;
	}

	private Client createClient(String name, String types, String redirects) {
		String body = "{\"name\": \"" + name + " " + UUID.randomUUID() + "\", \"types\": [" + types + "]"
				+ (redirects == null ? "" : ", \"redirect_uris\": [" + redirects + "]") + "}";
		Response created = adminA.session("POST", "/api/1.0/auth-clients", body);
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return new Client(created.json().get("id").asString(), created.json().get("secret").asString());
	}

	private void update(Client client, String types, String redirects) {
		JsonNode current = adminA.session("GET", "/api/1.0/auth-clients/" + client.id, null).json();
		String body = "{\"name\": \"" + current.get("name").asString() + "\", \"types\": [" + types + "]"
				+ (redirects == null ? "" : ", \"redirect_uris\": [" + redirects + "]") + "}";
		Response updated = adminA.session("PUT", "/api/1.0/auth-clients/" + client.id, body);
		assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
	}

	private long createUser(String username, String password) {
		Response created = adminA.session("POST", "/api/1.0/users", "{\"username\": \"" + username
				+ "\", \"firstname\": \"Two\", \"lastname\": \"Nodes\", \"email\": \"" + username
				+ "@example.com\", \"password\": \"" + password + "\", \"active\": true}");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created.json().get("id").asLong();
	}

	private void grant(long userId, String permissions) {
		Response granted = adminA.session("PUT", "/api/1.0/users/" + userId + "/permissions",
				"{\"permissions\": [" + permissions + "]}");
		assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
	}

	private static Response password(GatehouseProcess node, Client client, String username, String password) {
		return new GatehouseHttp(node.baseUri()).oauth("/oauth/token", client.id, client.secret,
				Map.of("grant_type", "password", "username", username, "password", password));
	}

	private static Response clientCredentials(GatehouseProcess node, String id, String secret) {
		return new GatehouseHttp(node.baseUri()).oauth("/oauth/token", id, secret,
				Map.of("grant_type", "client_credentials"));
	}

	private static boolean active(GatehouseHttp http, Client client, String token) {
		Response answer = http.oauth("/oauth/introspect", client.id, client.secret, Map.of("token", token));
		assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
		return answer.json().get("active").asBoolean();
	}

	private static HttpResponse<String> authorize(GatehouseProcess node, String clientId, String redirect) {
		return new Browser().get(node, "/oauth/authorize?response_type=code&client_id=" + clientId
				+ "&scope=api&state=s&code_challenge=" + "x".repeat(43) + "&code_challenge_method=S256&redirect_uri="
				+ encode(redirect));
	}

	/** The server process of the node's listening session, or 0 while it has none. */
	private int listeningBackend(GatehouseProcess node) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			String pid = sql("select pid from pg_stat_activity where application_name like 'gatehouse-change-listener "
					+ node.pid() + "@%'");
			if (pid != null) {
				return Integer.parseInt(pid);
			}
			sleep(50);
		}
		return 0;
	}

	private String sql(String query) throws Exception {
		try (Connection connection = DriverManager.getConnection(databaseUrl, PostgresTestDatabase.USER,
				PostgresTestDatabase.PASSWORD); Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(query)) {
			return result.next() ? result.getString(1) : null;
		}
	}

	private static String field(String html, String name) {
		Matcher value = Pattern.compile("name=\"" + Pattern.quote(name) + "\"[^>]*value=\"([^\"]*)\"").matcher(html);
		assertThat(value.find()).as("a field %s in %s", name, html).isTrue();
		return value.group(1).replace("&amp;", "&");
	}

	private static String location(HttpResponse<String> response) {
		return response.headers().firstValue("Location").orElse("");
	}

	private static String path(String location) {
		URI uri = URI.create(location);
		return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A browser as far as these flows need one: one cookie jar for both nodes (as behind one load balancer's host
	 * name), HTML accepted, redirects not followed.
	 */
	private static final class Browser {

		private static final HttpClient HTTP = HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NEVER)
			.version(HttpClient.Version.HTTP_1_1)
			.build();

		private final Map<String, String> cookies = new LinkedHashMap<>();

		HttpResponse<String> get(GatehouseProcess node, String path) {
			return send(HttpRequest.newBuilder(node.baseUri().resolve(path)).GET());
		}

		HttpResponse<String> post(GatehouseProcess node, String path, Map<String, String> form) {
			String body = form.entrySet()
				.stream()
				.map(entry -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
				.collect(Collectors.joining("&"));
			return send(HttpRequest.newBuilder(node.baseUri().resolve(path))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(body)));
		}

		private HttpResponse<String> send(HttpRequest.Builder request) {
			request.header("Accept", "text/html").timeout(Duration.ofSeconds(30));
			if (!cookies.isEmpty()) {
				request.header("Cookie", cookies.entrySet()
					.stream()
					.map(cookie -> cookie.getKey() + "=" + cookie.getValue())
					.collect(Collectors.joining("; ")));
			}
			try {
				HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
				for (String header : response.headers().allValues("Set-Cookie")) {
					String pair = header.split(";", 2)[0];
					int equals = pair.indexOf('=');
					cookies.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
				}
				return response;
			}
			catch (java.io.IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

}
