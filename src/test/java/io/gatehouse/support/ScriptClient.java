package io.gatehouse.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.jsoup.Jsoup;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Talks to the running server over a real socket, as a script or a browser would: raw bytes, headers and cookies,
 * with nothing filled in by a test framework. Cookies are kept by hand (name to value), so a test can also forge one.
 * Redirects are not followed.
 */
public final class ScriptClient {

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	private final URI base;

	private final Map<String, String> cookies = new LinkedHashMap<>();

	private final Map<String, String> setCookieLines = new LinkedHashMap<>();

	private ScriptClient(URI base) {
		this.base = base;
	}

	public static ScriptClient to(int port) {
		return new ScriptClient(URI.create("http://127.0.0.1:" + port));
	}

	/** Signs in through the login form (with the form's CSRF field) and loads the home page, as a browser does. */
	public ScriptClient signIn(String username, String password) {
		HttpResponse<String> page = send("GET", "/login", null, null);
		String csrf = Jsoup.parse(page.body()).select("input[name=_csrf]").attr("value");
		String form = "username=" + encode(username) + "&password=" + encode(password) + "&_csrf=" + encode(csrf);
		HttpResponse<String> login = send("POST", "/login", "application/x-www-form-urlencoded", form);
		assertThat(login.statusCode()).as("login of %s", username).isEqualTo(302);
		assertThat(login.headers().firstValue("Location").orElse("")).doesNotContain("error");
		send("GET", "/", null, null);
		return this;
	}

	public @Nullable String cookie(String name) {
		return cookies.get(name);
	}

	/** The whole {@code Set-Cookie} line that last set the cookie (attributes included), or null. */
	public @Nullable String lastSetCookie(String name) {
		return setCookieLines.get(name);
	}

	public ScriptClient cookie(String name, String value) {
		cookies.put(name, value);
		return this;
	}

	/**
	 * A JSON write as a script with a session sends it: the body as {@code application/json} and the CSRF token,
	 * copied from the {@code XSRF-TOKEN} cookie, in {@code X-XSRF-TOKEN}.
	 */
	public HttpResponse<String> json(String method, String path, String body) {
		return send(method, path, "application/json", body, "X-XSRF-TOKEN", String.valueOf(cookie("XSRF-TOKEN")));
	}

	/** Sends the request as given; {@code contentType} null sends none. Remembers the cookies the answer sets. */
	public HttpResponse<String> send(String method, String path, @Nullable String contentType, @Nullable String body,
			String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		if (!cookies.isEmpty()) {
			request.header("Cookie", cookies.entrySet()
				.stream()
				.map(cookie -> cookie.getKey() + "=" + cookie.getValue())
				.collect(Collectors.joining("; ")));
		}
		try {
			HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
			remember(response.headers().allValues("Set-Cookie"));
			return response;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void remember(List<String> setCookies) {
		for (String header : setCookies) {
			String pair = header.split(";", 2)[0];
			int equals = pair.indexOf('=');
			String name = pair.substring(0, equals).trim();
			String value = pair.substring(equals + 1).trim();
			setCookieLines.put(name, header);
			boolean expired = header.toLowerCase(java.util.Locale.ROOT).contains("max-age=0") || value.isEmpty();
			if (expired) {
				cookies.remove(name);
			}
			else {
				cookies.put(name, value);
			}
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
