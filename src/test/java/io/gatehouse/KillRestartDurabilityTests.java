package io.gatehouse;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.gatehouse.support.GatehouseHttp.Response;
import io.gatehouse.support.GatehouseHttp;
import io.gatehouse.support.GatehouseProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client was told is what survives: the real application in a child JVM on its default H2 file database takes a
 * burst of writes from several threads (auth clients and personal access tokens through the REST API, client
 * credentials tokens from the token endpoint, and revocations of some of each), is killed with SIGKILL right after the
 * last acknowledgement, and is started again on the same data directory. Every write that was acknowledged must be
 * there, and every acknowledged revocation must still hold.
 */
class KillRestartDurabilityTests {

	private static final int THREADS = 4;

	private static final Duration BURST = Duration.ofSeconds(4);

	private static final int TO_REVOKE = 60;

	@TempDir
	Path directory;

	@Test
	void restartWhenKilledRightAfterAcknowledgedWritesThenEveryWriteAndRevocationSurvived() throws Exception {
		try (GatehouseProcess server = GatehouseProcess.in(directory).start()) {
			Setup setup = setUp(new GatehouseHttp(server.baseUri()));
			Acknowledged acknowledged = burst(new GatehouseHttp(server.baseUri()), setup);
			// the client credentials tokens went through the group commit (oauth.TokenStoreGroupCommit)
			double grouped = groupCommitted(server);

			// SIGKILL at once after the last acknowledgement, then a new process on the same data directory
			server.restart();

			assertThat(acknowledged.failures).as("every request of the burst succeeded").isEmpty();
			assertThat(acknowledged.clients.size() + acknowledged.tokens.size() + acknowledged.accessTokens.size())
				.as("acknowledged writes").isGreaterThan(50);
			assertThat(acknowledged.revokedTokens).as("acknowledged token revocations").isNotEmpty();
			assertThat(acknowledged.revokedAccessTokens).as("acknowledged access token revocations").isNotEmpty();
			assertThat(grouped).as("grants committed by the group commit")
				.isGreaterThanOrEqualTo(acknowledged.accessTokens.size() + TO_REVOKE);
			GatehouseHttp http = new GatehouseHttp(server.baseUri());
			List<String> lost = inParallel(List.of(
					() -> missing(acknowledged.clients, id -> http.bearer(setup.adminToken, "GET",
							"/api/1.0/auth-clients/" + id, null).status() == 200, "auth client"),
					() -> missing(acknowledged.tokens, token -> http.bearer(token, "GET",
							"/api/1.0/auth-clients?per_page=1", null).status() == 200, "live personal access token"),
					() -> missing(acknowledged.revokedTokens, token -> http.bearer(token, "GET",
							"/api/1.0/auth-clients?per_page=1", null).status() == 401, "revoked personal access token"),
					() -> missing(acknowledged.accessTokens, token -> introspect(http, setup, token),
							"active client credentials token"),
					() -> missing(acknowledged.revokedAccessTokens, token -> !introspect(http, setup, token),
							"revoked client credentials token")));
			assertThat(lost).as("acknowledged writes missing after kill -9 and restart").isEmpty();
		}
	}

	private static Setup setUp(GatehouseHttp http) throws InterruptedException {
		http.signIn(GatehouseProcess.ADMIN_USERNAME, GatehouseProcess.ADMIN_PASSWORD);
		JsonNode users = http.session("GET", "/api/1.0/users?filter=" + GatehouseProcess.ADMIN_USERNAME, null).json();
		long adminId = users.get("data").get(0).get("id").asLong();
		Response token = http.session("POST", "/api/1.0/users/" + adminId + "/tokens",
				"{\"name\":\"Durability\",\"scopes\":[\"api\"],\"expires_in_days\":1}");
		assertThat(token.status()).as(token.toString()).isEqualTo(201);
		Response service = http.session("POST", "/api/1.0/auth-clients",
				"{\"name\":\"Durability service\",\"types\":[\"client_credentials\"]}");
		assertThat(service.status()).as(service.toString()).isEqualTo(201);
		Setup setup = new Setup(adminId, token.json().get("token").asString(), service.json().get("id").asString(),
				service.json().get("secret").asString(), new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());
		// tokens the burst revokes: issued well before it, so a lost revocation shows as a token that works again
		for (int i = 0; i < TO_REVOKE; i++) {
			Response created = http.bearer(setup.adminToken, "POST", "/api/1.0/users/" + adminId + "/tokens",
					"{\"name\":\"To revoke " + i + "\",\"scopes\":[\"api\"],\"expires_in_days\":1}");
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
			setup.tokensToRevoke.add(created.json().get("id").asLong() + " " + created.json().get("token").asString());
			Response issued = http.oauth("/oauth/token", setup.serviceId, setup.serviceSecret,
					Map.of("grant_type", "client_credentials"));
			assertThat(issued.status()).as(issued.toString()).isEqualTo(200);
			setup.accessTokensToRevoke.add(issued.json().get("access_token").asString());
		}
		// longer than any write-behind delay of the database, so these are on disk whatever its setting
		Thread.sleep(1500);
		return setup;
	}

	/**
	 * {@link #THREADS} threads released together, each cycling through the writes until the burst is over; returns what
	 * was acknowledged (a 2xx answer read by the client).
	 */
	private static Acknowledged burst(GatehouseHttp http, Setup setup) throws Exception {
		Acknowledged acknowledged = new Acknowledged();
		CountDownLatch go = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(THREADS);
		try {
			List<Future<?>> running = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				int thread = t;
				running.add(threads.submit(() -> {
					go.await();
					Instant end = Instant.now().plus(BURST);
					for (int i = 0; Instant.now().isBefore(end); i++) {
						// each kind of write in turn; in the last half second, every other one revokes a token instead
						boolean revoke = i % 2 == 0 && Instant.now().isAfter(end.minusMillis(500));
						write(http, setup, acknowledged, (thread + i) % 3, thread + "-" + i, revoke);
					}
					return null;
				}));
			}
			go.countDown();
			for (Future<?> each : running) {
				each.get(BURST.toSeconds() + 60, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		return acknowledged;
	}

	private static void write(GatehouseHttp http, Setup setup, Acknowledged acknowledged, int kind, String name,
			boolean revoke) {
		if (revoke && kind == 1 && setup.tokensToRevoke.peek() != null) {
			String[] idAndToken = setup.tokensToRevoke.poll().split(" ");
			Response revoked = http.bearer(setup.adminToken, "DELETE",
					"/api/1.0/users/" + setup.adminId + "/tokens/" + idAndToken[0], null);
			record(acknowledged.revokedTokens, idAndToken[1], revoked, 204, "revoke personal access token",
					acknowledged);
		}
		else if (revoke && kind == 2 && setup.accessTokensToRevoke.peek() != null) {
			String token = setup.accessTokensToRevoke.poll();
			Response revoked = http.oauth("/oauth/revoke", setup.serviceId, setup.serviceSecret, Map.of("token",
					token));
			record(acknowledged.revokedAccessTokens, token, revoked, 200, "revoke access token", acknowledged);
		}
		else if (kind == 0) {
			Response created = http.bearer(setup.adminToken, "POST", "/api/1.0/auth-clients",
					"{\"name\":\"Durable " + name + "\",\"types\":[\"password_client\"]}");
			record(acknowledged.clients, created.status() == 201 ? created.json().get("id").asString() : null,
					created, 201, "create client", acknowledged);
		}
		else if (kind == 1) {
			Response created = http.bearer(setup.adminToken, "POST", "/api/1.0/users/" + setup.adminId + "/tokens",
					"{\"name\":\"Durable " + name + "\",\"scopes\":[\"api\"],\"expires_in_days\":1}");
			record(acknowledged.tokens, created.status() == 201 ? created.json().get("token").asString() : null,
					created, 201, "create personal access token", acknowledged);
		}
		else {
			Response issued = http.oauth("/oauth/token", setup.serviceId, setup.serviceSecret,
					Map.of("grant_type", "client_credentials"));
			record(acknowledged.accessTokens, issued.status() == 200 ? issued.json().get("access_token").asString()
					: null, issued, 200, "client credentials token", acknowledged);
		}
	}

	private static void record(Queue<String> written, String value, Response response, int expected, String what,
			Acknowledged acknowledged) {
		if (response.status() == expected) {
			written.add(value);
		}
		else {
			acknowledged.failures.add(what + ": " + response.status());
		}
	}

	/** The sum of {@code gatehouse_oauth_token_group_commit_grants} on the server's management port. */
	private static double groupCommitted(GatehouseProcess server) throws Exception {
		String scrape = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(server.managementUri().resolve("/actuator/prometheus")).build(),
					java.net.http.HttpResponse.BodyHandlers.ofString())
			.body();
		return scrape.lines().filter(line -> line.startsWith("gatehouse_oauth_token_group_commit_grants_sum"))
			.mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
	}

	private static boolean introspect(GatehouseHttp http, Setup setup, String token) {
		Response answer = http.oauth("/oauth/introspect", setup.serviceId, setup.serviceSecret, Map.of("token", token));
		return answer.status() == 200 && answer.json().get("active").asBoolean();
	}

	private static List<String> missing(Queue<String> values, java.util.function.Predicate<String> present,
			String what) {
		long lost = values.stream().filter(present.negate()).count();
		return lost == 0 ? List.of() : List.of(lost + " of " + values.size() + " " + what + "s");
	}

	private static List<String> inParallel(List<java.util.concurrent.Callable<List<String>>> checks) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(checks.size());
		try {
			List<String> all = new ArrayList<>();
			for (Future<List<String>> each : threads.invokeAll(checks)) {
				all.addAll(each.get());
			}
			return all;
		}
		finally {
			threads.shutdownNow();
		}
	}

	private record Setup(long adminId, String adminToken, String serviceId, String serviceSecret,
			Queue<String> tokensToRevoke, Queue<String> accessTokensToRevoke) {
	}

	private static final class Acknowledged {

		final Queue<String> clients = new ConcurrentLinkedQueue<>();

		final Queue<String> tokens = new ConcurrentLinkedQueue<>();

		final Queue<String> revokedTokens = new ConcurrentLinkedQueue<>();

		final Queue<String> accessTokens = new ConcurrentLinkedQueue<>();

		final Queue<String> revokedAccessTokens = new ConcurrentLinkedQueue<>();

		final Queue<String> failures = new ConcurrentLinkedQueue<>();

	}

}
