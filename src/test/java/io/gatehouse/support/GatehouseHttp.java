package io.gatehouse.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real HTTP against a running Gatehouse (see {@link GatehouseProcess}), as a script would talk to it: the REST API
 * with a bearer token or the console's session (signed in through the login form, with the {@code XSRF-TOKEN} cookie
 * echoed in {@code X-XSRF-TOKEN}), and the OAuth endpoints with form posts. Thread-safe: one instance may serve many
 * threads.
 */
public final class GatehouseHttp {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private final URI base;

	private final CookieManager cookies = new CookieManager();

	private final HttpClient client;

	public GatehouseHttp(URI base) {
		this.base = base;
		this.client = HttpClient.newBuilder()
			.cookieHandler(cookies)
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	/** Signs in through the login form; later {@link #session} calls carry the session cookie and CSRF header. */
	public GatehouseHttp signIn(String username, String password) {
		Response page = send(HttpRequest.newBuilder(base.resolve("/login")).GET());
		Matcher csrf = CSRF_FIELD.matcher(page.body());
		if (!csrf.find()) {
			throw new IllegalStateException("The login page has no CSRF field: " + page);
		}
		Response login = send(HttpRequest.newBuilder(base.resolve("/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", username, "password", password,
					"_csrf", csrf.group(1))))));
		String location = login.header("Location");
		if (login.status() != 302 || location == null || location.contains("error")) {
			throw new IllegalStateException("Signing in as " + username + " failed: " + login.status() + " "
					+ location);
		}
		// the CSRF token changes at sign-in; any API answer sets the new XSRF-TOKEN cookie
		send(HttpRequest.newBuilder(base.resolve("/api/1.0/auth-clients?per_page=1")).GET());
		return this;
	}

	/** A REST call with the signed-in session; {@code json} may be null. */
	public Response session(String method, String path, String json) {
		HttpRequest.Builder request = json(method, path, json);
		String xsrf = cookie("XSRF-TOKEN");
		if (xsrf != null) {
			request.header("X-XSRF-TOKEN", xsrf);
		}
		return send(request);
	}

	/** A REST call with a bearer token (a personal access token or a JWT); {@code json} may be null. */
	public Response bearer(String token, String method, String path, String json) {
		return send(json(method, path, json).header("Authorization", "Bearer " + token));
	}

	/** A form post to an OAuth endpoint ({@code /oauth/token}, {@code /oauth/introspect}, {@code /oauth/revoke}). */
	public Response oauth(String path, String clientId, String clientSecret, Map<String, String> fields) {
		String basic = Base64.getEncoder()
			.encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
		return send(HttpRequest.newBuilder(base.resolve(path))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(fields))));
	}

	private HttpRequest.Builder json(String method, String path, String json) {
		HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
		if (json == null) {
			return request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return request.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString(json));
	}

	private String cookie(String name) {
		return cookies.getCookieStore()
			.get(base)
			.stream()
			.filter(cookie -> cookie.getName().equals(name))
			.map(HttpCookie::getValue)
			.findFirst()
			.orElse(null);
	}

	private Response send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body(), response.headers().map());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String form(Map<String, String> fields) {
		return fields.entrySet()
			.stream()
			.map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	/** An HTTP answer: status, body, and the body as JSON on demand. */
	public record Response(int status, String body, Map<String, java.util.List<String>> headers) {

		public JsonNode json() {
			return JSON.readTree(body);
		}

		public String header(String name) {
			return headers.entrySet()
				.stream()
				.filter(header -> header.getKey().equalsIgnoreCase(name))
				.flatMap(header -> header.getValue().stream())
				.findFirst()
				.orElse(null);
		}

		@Override
		public String toString() {
			return status + " " + (body.length() > 500 ? body.substring(0, 500) + "..." : body);
		}

	}

}
