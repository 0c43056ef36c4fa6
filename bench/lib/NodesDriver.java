import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client side of bench/nodes.sh's fault run, against two Gatehouse nodes on one PostgreSQL. Three commands:
 * <ul>
 * <li>{@code setup A_URL ADMIN PASSWORD STATE}: signs in on A and creates the clients the run uses (a client
 * credentials client for the load, another for the revocation probe); writes them to STATE (a properties file in the
 * run's private output directory, with the secrets: the run's own throwaway clients).</li>
 * <li>{@code load A_URL B_URL STATE STOP_FILE RECORDS}: until STOP_FILE exists, WORKERS threads (default 8) alternate between the nodes, each
 * request a client credentials token (4 in 5) or a new client through the REST API (1 in 5), and append every 2xx
 * to RECORDS ("token NODE MILLIS VALUE" / "client NODE MILLIS ID"), flushed at once: what a caller was told is done.
 * A probe thread issues a token on A, introspects it on B (so B has it cached), revokes it on A, and polls B
 * until it says inactive: the delay is the staleness that a client of B would see. One line per second: per node
 * the 2xx and failed requests, the probe's delays, why requests failed (status codes, exception names).</li>
 * <li>{@code verify A_URL B_URL STATE RECORDS}: every recorded token must still introspect as active on both nodes,
 * every recorded client must still be readable on both; prints the counts, exits 1 on any loss.</li>
 * </ul>
 * The console session is made on A and used on both nodes: sessions live in the database.
 */
public class NodesDriver {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final Pattern FIELD = Pattern.compile("\"(access_token|id|secret)\"\\s*:\\s*\"([^\"]+)\"");

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	public static void main(String[] args) throws Exception {
		switch (args[0]) {
			case "setup" -> setup(URI.create(args[1]), args[2], args[3], Path.of(args[4]));
			case "load" -> load(URI.create(args[1]), URI.create(args[2]), props(Path.of(args[3])), Path.of(args[4]),
					Path.of(args[5]));
			case "verify" -> System.exit(verify(URI.create(args[1]), URI.create(args[2]), props(Path.of(args[3])),
					Path.of(args[4])) ? 0 : 1);
			default -> throw new IllegalArgumentException("setup | load | verify");
		}
	}

	// ---- setup ----

	static void setup(URI a, String admin, String password, Path state) throws Exception {
		Session session = Session.signIn(a, admin, password);
		String[] load = session.createClient("Fault load " + UUID.randomUUID(), "client_credentials");
		String[] probe = session.createClient("Fault probe " + UUID.randomUUID(), "client_credentials");
		Files.writeString(state, String.join("\n", "load_id=" + load[0], "load_secret=" + load[1],
				"probe_id=" + probe[0], "probe_secret=" + probe[1], "admin=" + admin, "password=" + password, ""));
	}

	// ---- load ----

	static void load(URI a, URI b, Map<String, String> state, Path stop, Path records) throws Exception {
		URI[] nodes = { a, b };
		String loadAuth = basic(state.get("load_id"), state.get("load_secret"));
		Session session = Session.signIn(a, state.get("admin"), state.get("password"));
		int workers = Integer.getInteger("workers", 8);
		// per node: [0] 2xx, [1] failed, since the last line
		AtomicLongArray counts = new AtomicLongArray(4);
		AtomicBoolean running = new AtomicBoolean(true);
		ConcurrentLinkedQueue<String> probeDelays = new ConcurrentLinkedQueue<>();
		List<Map<String, Integer>> failures = List.of(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
		try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(records))) {
			ExecutorService pool = Executors.newFixedThreadPool(workers + 1);
			for (int w = 0; w < workers; w++) {
				int first = w % 2;
				pool.submit(() -> {
					HttpClient http = client();
					for (long i = first; running.get(); i++) {
						int node = (int) (i % 2);
						boolean token = ThreadLocalRandom.current().nextInt(5) != 0;
						Result result = token ? issued(http, nodes[node], loadAuth)
								: session.tryCreateClient(nodes[node], "Fault " + UUID.randomUUID());
						String recorded = result.value();
						counts.incrementAndGet(node * 2 + (recorded == null ? 1 : 0));
						if (recorded == null) {
							failures.get(node).merge(result.failure(), 1, Integer::sum);
						}
						else {
							synchronized (out) {
								out.println((token ? "token " : "client ") + (node == 0 ? "A " : "B ")
										+ System.currentTimeMillis() + " " + recorded);
								out.flush();
							}
						}
					}
					return null;
				});
			}
			pool.submit(() -> {
				probe(a, b, basic(state.get("probe_id"), state.get("probe_secret")), running, probeDelays);
				return null;
			});
			long start = System.currentTimeMillis();
			for (int s = 1; !Files.exists(stop) && s <= 3600; s++) {
				Thread.sleep(Math.max(0, start + s * 1000L - System.currentTimeMillis()));
				String probeNote = String.join(",", drain(probeDelays));
				System.out.printf("t=%d A ok=%d failed=%d B ok=%d failed=%d probe_ms=%s why=%s%n", s,
						counts.getAndSet(0, 0), counts.getAndSet(1, 0), counts.getAndSet(2, 0),
						counts.getAndSet(3, 0), probeNote.isEmpty() ? "-" : probeNote, reasons(failures));
				System.out.flush();
			}
			running.set(false);
			pool.shutdown();
			pool.awaitTermination(30, TimeUnit.SECONDS);
		}
	}

	/** Issues on A, warms B, revokes on A, polls B: the milliseconds from A's revocation answer to B's "inactive". */
	static void probe(URI a, URI b, String auth, AtomicBoolean running, ConcurrentLinkedQueue<String> delays)
			throws InterruptedException {
		HttpClient http = client();
		while (running.get()) {
			Thread.sleep(2000);
			String token = issue(http, a, auth);
			if (token == null || !Boolean.TRUE.equals(active(http, b, auth, token))) {
				continue; // a node is down: nothing to measure this round
			}
			HttpResponse<String> revoked = send(http, form(a.resolve("/oauth/revoke"), auth, "token=" + token));
			if (revoked == null || revoked.statusCode() != 200) {
				continue;
			}
			long revokedAt = System.nanoTime();
			while (running.get()) {
				Boolean active = active(http, b, auth, token);
				long ms = (System.nanoTime() - revokedAt) / 1_000_000;
				if (Boolean.FALSE.equals(active)) {
					delays.add(Long.toString(ms));
					break;
				}
				if (ms > 10_000) {
					delays.add("STALE>10000");
					break;
				}
				Thread.sleep(20);
			}
		}
	}

	// ---- verify ----

	static boolean verify(URI a, URI b, Map<String, String> state, Path records) throws Exception {
		String auth = basic(state.get("load_id"), state.get("load_secret"));
		Session session = Session.signIn(a, state.get("admin"), state.get("password"));
		List<String[]> lines = new ArrayList<>();
		for (String line : Files.readAllLines(records)) {
			if (!line.isBlank()) {
				lines.add(line.split(" "));
			}
		}
		ConcurrentLinkedQueue<String> lost = new ConcurrentLinkedQueue<>();
		long[] checked = new long[2];
		ExecutorService pool = Executors.newFixedThreadPool(8);
		for (String[] record : lines) {
			checked[record[0].equals("token") ? 0 : 1]++;
			pool.submit(() -> {
				HttpClient http = client();
				for (URI node : new URI[] { a, b }) {
					boolean ok = record[0].equals("token") ? Boolean.TRUE.equals(active(http, node, auth, record[3]))
							: session.clientExists(node, record[3]);
					if (!ok) {
						lost.add(record[0] + " issued by " + record[1] + " at " + record[2] + ", checked on "
								+ node.getPort());
					}
				}
			});
		}
		pool.shutdown();
		pool.awaitTermination(10, TimeUnit.MINUTES);
		System.out.printf("verified: %d tokens, %d clients acknowledged during the run; not true afterwards: %d%n",
				checked[0], checked[1], lost.size());
		lost.stream().limit(20).forEach(line -> System.out.println("  LOST " + line));
		return lost.isEmpty();
	}

	// ---- HTTP ----

	static HttpClient client() {
		return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
	}

	static String issue(HttpClient http, URI node, String auth) {
		return issued(http, node, auth).value();
	}

	static Result issued(HttpClient http, URI node, String auth) {
		return Result.of(send(http, form(node.resolve("/oauth/token"), auth, "grant_type=client_credentials")), 200,
				"access_token");
	}

	/** What a request acknowledged (a token, a client id), or why not: a status code or the exception's name. */
	record Result(String value, String failure) {

		static Result of(HttpResponse<String> response, int expected, String field) {
			if (response == null) {
				return new Result(null, LAST_FAILURE.get());
			}
			String value = response.statusCode() == expected ? field(response.body(), field) : null;
			return new Result(value, value != null ? null : Integer.toString(response.statusCode()));
		}

	}

	private static final ThreadLocal<String> LAST_FAILURE = new ThreadLocal<>();

	/** True or false as the node says; null when it gave no answer. */
	static Boolean active(HttpClient http, URI node, String auth, String token) {
		HttpResponse<String> response = send(http, form(node.resolve("/oauth/introspect"), auth, "token=" + token));
		if (response == null || response.statusCode() != 200) {
			return null;
		}
		return response.body().contains("\"active\":true");
	}

	static HttpRequest form(URI uri, String auth, String body) {
		return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", auth)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body)).build();
	}

	/** The answer, or null when the node could not be reached (down, restarting, timed out). */
	static HttpResponse<String> send(HttpClient http, HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			LAST_FAILURE.set(ex.getClass().getSimpleName());
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	static String field(String json, String name) {
		Matcher matcher = FIELD.matcher(json);
		while (matcher.find()) {
			if (matcher.group(1).equals(name)) {
				return matcher.group(2);
			}
		}
		return null;
	}

	static String basic(String id, String secret) {
		return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
	}

	static Map<String, String> props(Path file) throws IOException {
		java.util.Properties properties = new java.util.Properties();
		try (var reader = Files.newBufferedReader(file)) {
			properties.load(reader);
		}
		Map<String, String> map = new java.util.HashMap<>();
		properties.forEach((key, value) -> map.put((String) key, (String) value));
		return map;
	}

	/** "A:503x2,HttpTimeoutException x1;B:-" since the last call, then forgotten. */
	static String reasons(List<Map<String, Integer>> failures) {
		StringBuilder line = new StringBuilder();
		for (int node = 0; node < 2; node++) {
			Map<String, Integer> counts = failures.get(node);
			StringBuilder part = new StringBuilder();
			for (String reason : List.copyOf(counts.keySet())) {
				Integer n = counts.remove(reason);
				part.append(part.isEmpty() ? "" : ",").append(reason).append('x').append(n);
			}
			line.append(node == 0 ? "A:" : ";B:").append(part.isEmpty() ? "-" : part);
		}
		return line.toString();
	}

	static List<String> drain(ConcurrentLinkedQueue<String> queue) {
		List<String> all = new ArrayList<>();
		for (String item; (item = queue.poll()) != null;) {
			all.add(item);
		}
		return all;
	}

	/** A console session (cookie + its CSRF token) for the REST API; valid on every node. */
	record Session(HttpClient http, String xsrf, URI home) {

		static Session signIn(URI node, String username, String password) throws Exception {
			CookieManager cookies = new CookieManager();
			HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(2))
				.build();
			String login = http.send(HttpRequest.newBuilder(node.resolve("/login")).build(),
					HttpResponse.BodyHandlers.ofString()).body();
			Matcher csrf = CSRF.matcher(login);
			if (!csrf.find()) {
				throw new IllegalStateException("no login form at " + node);
			}
			String body = "username=" + enc(username) + "&password=" + enc(password) + "&_csrf=" + enc(csrf.group(1));
			http.send(HttpRequest.newBuilder(node.resolve("/login"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
			// the session's CSRF token (renewed at sign-in) arrives as a cookie with the next answer
			http.send(HttpRequest.newBuilder(node.resolve("/api/1.0/auth-clients?per_page=1")).build(),
					HttpResponse.BodyHandlers.discarding());
			String xsrf = cookies.getCookieStore().getCookies().stream()
				.filter(cookie -> cookie.getName().equals("XSRF-TOKEN")).map(java.net.HttpCookie::getValue)
				.findFirst().orElseThrow(() -> new IllegalStateException("signing in as " + username + " failed"));
			return new Session(http, xsrf, node);
		}

		/** Creates a client on the node signed in on: its id and secret; fails the run when refused. */
		String[] createClient(String name, String type) {
			HttpResponse<String> response = send(http, create(home, name, type));
			if (response == null || response.statusCode() != 201) {
				throw new IllegalStateException("creating " + name + " failed: "
						+ (response == null ? "no answer" : response.statusCode() + " " + response.body()));
			}
			return new String[] { field(response.body(), "id"), field(response.body(), "secret") };
		}

		private HttpRequest create(URI node, String name, String type) {
			return HttpRequest.newBuilder(node.resolve("/api/1.0/auth-clients")).timeout(TIMEOUT)
				.header("Content-Type", "application/json").header("X-XSRF-TOKEN", xsrf)
				.POST(HttpRequest.BodyPublishers.ofString(
						"{\"name\":\"" + name + "\",\"types\":[\"" + type + "\"]}"))
				.build();
		}

		/** The new client's id, or why the node did not confirm it. */
		Result tryCreateClient(URI node, String name) {
			return Result.of(send(http, create(node, name, "client_credentials")), 201, "id");
		}

		boolean clientExists(URI node, String id) {
			HttpResponse<String> response = send(http, HttpRequest.newBuilder(
					node.resolve("/api/1.0/auth-clients/" + id)).timeout(TIMEOUT).build());
			return response != null && response.statusCode() == 200;
		}

		private static String enc(String value) {
			return URLEncoder.encode(value, StandardCharsets.UTF_8);
		}

	}

}
