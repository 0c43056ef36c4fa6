package io.gatehouse.webhooks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.gatehouse.outbound.OutboundException;
import io.gatehouse.outbound.OutboundHttp;
import io.gatehouse.outbound.OutboundRequest;
import io.gatehouse.outbound.OutboundResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Posts one delivery through {@link OutboundHttp}, the server's one guarded way out: its SSRF rules hold for the
 * addresses actually connected to (no DNS rebinding), redirects are not followed (a 3xx is a failed attempt), and
 * its timeouts and response size limit bound the attempt. A 2xx is delivered; anything else comes back as a failure
 * class for the delivery log, never with the URL's query or a header value.
 */
@Component
class WebhookSender {

	/** The receiver's answer is not used; a small limit keeps a chatty one from costing memory. */
	static final int MAX_RESPONSE_BYTES = 16 * 1024;

	private final OutboundHttp http;

	WebhookSender(OutboundHttp http) {
		this.http = http;
	}

	/** How much of the receiver's answer the delivery log keeps for each attempt. */
	static final int KEPT_RESPONSE_CHARACTERS = 1024;

	/**
	 * {@code status}: the answer's status code, null when none came; {@code error}: the failure class;
	 * {@code responseBody}: the start of the answer's body (see {@link #kept}), empty when none came.
	 */
	record Result(@Nullable Integer status, @Nullable String error, int durationMs, String responseBody) {

		Result(@Nullable Integer status, @Nullable String error, int durationMs) {
			this(status, error, durationMs, "");
		}

		boolean delivered() {
			return error == null;
		}

	}

	/**
	 * The first {@value #KEPT_RESPONSE_CHARACTERS} characters of the body, read as UTF-8 (malformed bytes replaced),
	 * with control characters other than tab and line breaks replaced by U+FFFD: text to store (PostgreSQL refuses
	 * NUL in text) and show as text, whatever the receiver sent.
	 */
	static String kept(byte[] body) {
		int length = Math.min(body.length, KEPT_RESPONSE_CHARACTERS * 4);
		String text = new String(body, 0, length, StandardCharsets.UTF_8);
		StringBuilder kept = new StringBuilder(Math.min(text.length(), KEPT_RESPONSE_CHARACTERS));
		for (int i = 0; i < text.length() && kept.length() < KEPT_RESPONSE_CHARACTERS; i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && kept.length() == KEPT_RESPONSE_CHARACTERS - 1) {
				break;
			}
			kept.append(Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r' ? '\uFFFD' : c);
		}
		return kept.toString();
	}

	Result post(String url, String body, Map<String, String> headers) {
		long started = System.nanoTime();
		OutboundRequest request;
		try {
			request = OutboundRequest.post(URI.create(url), "application/json", body.getBytes(StandardCharsets.UTF_8))
				.maxResponseBytes(MAX_RESPONSE_BYTES);
		}
		catch (IllegalArgumentException ex) {
			return new Result(null, "refused_address", 0);
		}
		for (Map.Entry<String, String> header : headers.entrySet()) {
			request = request.header(header.getKey(), header.getValue());
		}
		try {
			OutboundResponse response = http.send(request);
			int status = response.status();
			return new Result(status, response.successful() ? null : "http_" + status, elapsed(started),
					kept(response.body()));
		}
		catch (OutboundException ex) {
			String error = switch (ex.reason()) {
				case REFUSED -> "refused_address";
				case TIMEOUT -> "timeout";
				case TOO_LARGE -> "response_too_large";
				case FAILED -> "connect_failed";
			};
			return new Result(null, error, elapsed(started));
		}
	}

	private static int elapsed(long started) {
		return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - started) / 1_000_000);
	}

}
