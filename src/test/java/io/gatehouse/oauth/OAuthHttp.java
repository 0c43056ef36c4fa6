package io.gatehouse.oauth;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw HTTP against the running server, with the request exactly as written: query string and form body apart, any
 * (or no) {@code Content-Type}, any method. Redirects are not followed, so a 302 is seen as a 302. A signed-in
 * instance ({@link #signIn}) keeps the console session's cookies, like a browser.
 */
final class OAuthHttp {

	static final String FORM = "application/x-www-form-urlencoded";

	private final String base;

	private final JsonMapper json;

	private final HttpClient client;

	OAuthHttp(int port, JsonMapper json) {
		this(port, json, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
	}

	private OAuthHttp(int port, JsonMapper json, HttpClient client) {
		this.base = "http://localhost:" + port;
		this.json = json;
		this.client = client;
	}

	String base() {
		return base;
	}

	Request post(String path) {
		return new Request("POST", path);
	}

	Request request(String method, String path) {
		return new Request(method, path);
	}

	/** A new instance that keeps its cookies (a browser's session), not signed in. */
	OAuthHttp session() {
		return new OAuthHttp(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), json,
				HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).cookieHandler(new CookieManager())
					.build());
	}

	/** A new instance signed in to the console through the real login form. */
	OAuthHttp signIn(String username, String password) {
		OAuthHttp session = session();
		session.signInHere(username, password);
		return session;
	}

	/** Signs this instance's session in through the real login form; returns where the login sent it. */
	String signInHere(String username, String password) {
		OAuthHttp session = this;
		Response login = session.request("GET", "/login").send();
		String csrf = Jsoup.parse(login.body()).select("input[name=_csrf]").val();
		Response signedIn = session.post("/login").form("username", username, "password", password, "_csrf", csrf)
			.send();
		assertThat(signedIn.status()).as("login").isEqualTo(302);
		assertThat(signedIn.location()).as("login").doesNotContain("error");
		return signedIn.location();
	}

	/**
	 * As the signed-in user: asks for a code for {@code api} (with this PKCE challenge, or none when null), allows
	 * it on the consent page if asked, and returns the code the browser would be sent back with.
	 */
	String authorizationCode(String clientId, String redirectUri, String challenge) {
		StringBuilder query = new StringBuilder("response_type=code&scope=api&state=st")
			.append("&client_id=").append(encode(clientId))
			.append("&redirect_uri=").append(encode(redirectUri));
		if (challenge != null) {
			query.append("&code_challenge=").append(encode(challenge)).append("&code_challenge_method=S256");
		}
		Response authorize = request("GET", "/oauth/authorize").query(query.toString()).accept("text/html").send();
		assertThat(authorize.status()).as("authorize: " + authorize.body()).isEqualTo(302);
		String location = authorize.location();
		if (location.contains("/oauth/consent?")) {
			Document consent = Jsoup.parse(request("GET", URI.create(location).getRawPath())
				.query(URI.create(location).getRawQuery()).accept("text/html").send().body());
			Response allowed = post("/oauth/authorize").form("client_id", clientId, "state",
					consent.select("input[name=state]").val(), "scope", "api", "_csrf",
					consent.select("input[name=_csrf]").val()).send();
			assertThat(allowed.status()).as("consent").isEqualTo(302);
			location = allowed.location();
		}
		assertThat(location).startsWith(redirectUri + "?");
		return queryParameters(URI.create(location).getRawQuery()).get("code");
	}

	static String basic(String clientId, String secret) {
		return "Basic " + Base64.getEncoder()
			.encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
	}

	static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	static Map<String, String> queryParameters(String rawQuery) {
		Map<String, String> parameters = new LinkedHashMap<>();
		for (String pair : rawQuery.split("&")) {
			int equals = pair.indexOf('=');
			parameters.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
					URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
		}
		return parameters;
	}

	final class Request {

		private final String method;

		private final String path;

		private String query;

		private String body = "";

		private String contentType;

		private final List<String> headers = new ArrayList<>();

		private Request(String method, String path) {
			this.method = method;
			this.path = path;
		}

		/** The raw query string, sent as written. */
		Request query(String rawQuery) {
			this.query = rawQuery;
			return this;
		}

		/**
		 * A form body of name/value pairs, URL-encoded, with
		 * {@code Content-Type: application/x-www-form-urlencoded}.
		 */
		Request form(String... namesAndValues) {
			StringBuilder form = new StringBuilder();
			for (int i = 0; i < namesAndValues.length; i += 2) {
				form.append(form.isEmpty() ? "" : "&").append(encode(namesAndValues[i])).append('=')
					.append(encode(namesAndValues[i + 1]));
			}
			this.body = form.toString();
			this.contentType = FORM;
			return this;
		}

		/** A body sent exactly as written, as a form. */
		Request rawForm(String body) {
			this.body = body;
			this.contentType = FORM;
			return this;
		}

		/** Replaces the content type; null sends none at all. */
		Request contentType(String contentType) {
			this.contentType = contentType;
			return this;
		}

		Request basic(String clientId, String secret) {
			return header("Authorization", OAuthHttp.basic(clientId, secret));
		}

		Request accept(String accept) {
			return header("Accept", accept);
		}

		Request header(String name, String value) {
			headers.add(name);
			headers.add(value);
			return this;
		}

		Response send() {
			URI uri = URI.create(base + path + (query == null ? "" : "?" + query));
			HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
				.method(method, body.isEmpty() && !method.equals("POST") ? HttpRequest.BodyPublishers.noBody()
						: HttpRequest.BodyPublishers.ofString(body));
			if (contentType != null) {
				request.header("Content-Type", contentType);
			}
			for (int i = 0; i < headers.size(); i += 2) {
				request.header(headers.get(i), headers.get(i + 1));
			}
			try {
				return new Response(client.send(request.build(), HttpResponse.BodyHandlers.ofString()));
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

	final class Response {

		private final HttpResponse<String> response;

		private Response(HttpResponse<String> response) {
			this.response = response;
		}

		int status() {
			return response.statusCode();
		}

		String body() {
			return response.body();
		}

		String header(String name) {
			return response.headers().firstValue(name).orElse(null);
		}

		String location() {
			return header("Location");
		}

		JsonNode json() {
			return json.readTree(response.body());
		}

		/** The RFC 6749 5.2 {@code error} code of a JSON error body; fails the test when the body is not one. */
		String error() {
			assertThat(header("Content-Type")).as("content type of " + status() + " " + body())
				.startsWith("application/json");
			JsonNode error = json();
			assertThat(error.has("error")).as("error body " + body()).isTrue();
			return error.get("error").asString();
		}

		@Override
		public String toString() {
			return status() + " " + response.headers().map() + " " + body();
		}

	}

}
