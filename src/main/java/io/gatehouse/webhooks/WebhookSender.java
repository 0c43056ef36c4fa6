package io.gatehouse.webhooks;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Posts one delivery: the URL checked by {@link WebhookUrls} first, redirects never followed (a 3xx is a failed
 * attempt), the attempt bounded by a timeout, the answer's body discarded unread. A 2xx is delivered; anything else
 * comes back as a failure class for the delivery log, never with the URL's query or a header value.
 */
final class WebhookSender {

	private final WebhookUrls urls;

	private final Duration timeout;

	private final HttpClient http;

	WebhookSender(WebhookUrls urls, Duration timeout) {
		this.urls = urls;
		this.timeout = timeout;
		this.http = HttpClient.newBuilder()
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(timeout)
			.version(HttpClient.Version.HTTP_1_1)
			.build();
	}

	/** {@code status}: the answer's status code, null when none came; {@code error}: the failure class. */
	record Result(@Nullable Integer status, @Nullable String error, int durationMs) {

		boolean delivered() {
			return error == null;
		}

	}

	Result post(String url, String body, Map<String, String> headers) {
		long started = System.nanoTime();
		if (urls.problemWith(url) != null) {
			return new Result(null, "refused_address", 0);
		}
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(timeout)
			.header("Content-Type", "application/json")
			.header("User-Agent", "Gatehouse-Webhooks")
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
		headers.forEach(request::header);
		try {
			HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
			int status = response.statusCode();
			return new Result(status, status >= 200 && status < 300 ? null : "http_" + status, elapsed(started));
		}
		catch (HttpConnectTimeoutException | ConnectException ex) {
			return new Result(null, "connect_failed", elapsed(started));
		}
		catch (HttpTimeoutException ex) {
			return new Result(null, "timeout", elapsed(started));
		}
		catch (IOException ex) {
			return new Result(null, "io_error", elapsed(started));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Result(null, "interrupted", elapsed(started));
		}
	}

	private static int elapsed(long started) {
		return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - started) / 1_000_000);
	}

}
