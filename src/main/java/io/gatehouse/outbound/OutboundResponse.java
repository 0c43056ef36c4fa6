package io.gatehouse.outbound;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The response to an {@link OutboundRequest}, whatever its status: a redirect (3xx) is returned as it is, never
 * followed.
 *
 * @param status the HTTP status code
 * @param headers the response headers, by lower-case name, the first value of each
 * @param body the whole body, at most the request's limit
 */
public record OutboundResponse(int status, Map<String, String> headers, byte[] body) {

	public OutboundResponse {
		headers = Map.copyOf(headers);
	}

	/** The first value of a header, or null when the response has none. */
	public @Nullable String header(String name) {
		return this.headers.get(name.toLowerCase(Locale.ROOT));
	}

	public boolean successful() {
		return this.status >= 200 && this.status < 300;
	}

	public String bodyAsString() {
		return new String(this.body, StandardCharsets.UTF_8);
	}

}
