package io.gatehouse.outbound;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One outbound HTTP request. Built with {@link #get(URI)} or {@link #post(URI, String, byte[])}, then
 * {@link #header(String, String)} and {@link #maxResponseBytes(int)}.
 *
 * @param method {@code GET} or {@code POST}
 * @param url an https URL, or http to loopback (see {@link OutboundHttp})
 * @param headers request headers, sent as given (never in an error message)
 * @param contentType the body's media type, with {@code body}
 * @param body the request body, or null for none
 * @param maxResponseBytes the largest response body accepted; a larger one fails with
 *        {@link OutboundException.Reason#TOO_LARGE}
 */
public record OutboundRequest(String method, URI url, Map<String, String> headers, @Nullable String contentType,
		byte @Nullable [] body, int maxResponseBytes) {

	/** The default response size limit: 64 KiB, plenty for a JWKS. */
	public static final int DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

	/** Headers that name the target or frame the message: the client sets them from the URL and the body. */
	private static final Set<String> FRAMING_HEADERS = Set.of("host", "content-length", "transfer-encoding",
			"connection", "content-type");

	public OutboundRequest {
		if (!method.equals("GET") && !method.equals("POST")) {
			throw new IllegalArgumentException("method must be GET or POST");
		}
		if (maxResponseBytes < 0) {
			throw new IllegalArgumentException("maxResponseBytes must not be negative");
		}
		if ((body == null) != (contentType == null)) {
			throw new IllegalArgumentException("a body needs a content type, and only a body has one");
		}
		for (String name : headers.keySet()) {
			if (FRAMING_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
				throw new IllegalArgumentException(name + " is set by the HTTP client");
			}
		}
		headers = Map.copyOf(headers);
	}

	public static OutboundRequest get(URI url) {
		return new OutboundRequest("GET", url, Map.of(), null, null, DEFAULT_MAX_RESPONSE_BYTES);
	}

	public static OutboundRequest post(URI url, String contentType, byte[] body) {
		return new OutboundRequest("POST", url, Map.of(), contentType, body.clone(), DEFAULT_MAX_RESPONSE_BYTES);
	}

	/** This request with one more header (or that header replaced). */
	public OutboundRequest header(String name, String value) {
		Map<String, String> more = new LinkedHashMap<>(this.headers);
		more.put(name, value);
		return new OutboundRequest(this.method, this.url, more, this.contentType, this.body, this.maxResponseBytes);
	}

	/** This request with another response size limit. */
	public OutboundRequest maxResponseBytes(int limit) {
		return new OutboundRequest(this.method, this.url, this.headers, this.contentType, this.body, limit);
	}

}
