package io.gatehouse.clients;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Which redirect URIs may be registered. The authorization endpoint later compares a request's redirect URI with the
 * registered ones by exact string match, so registration is where anything ambiguous must be refused: every trick
 * that has given peers a CVE (wildcards, userinfo, dot segments, fragments, non-web schemes in any letter case,
 * plain http to a non-loopback host) fails here, on every write path.
 */
public final class RedirectUriPolicy {

	public static final int MAX_LENGTH = 2000;

	public static final int MAX_URIS = 10;

	/**
	 * RFC 8252 7.3: loopback redirects may use plain http, and only their port may vary at request time. The name
	 * {@code localhost} is refused (RFC 8252 8.3): it can resolve to something other than the loopback interface.
	 */
	private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "[::1]");

	private RedirectUriPolicy() {
	}

	public static boolean isLoopback(URI uri) {
		return uri.getHost() != null && LOOPBACK_HOSTS.contains(uri.getHost().toLowerCase(Locale.ROOT));
	}

	/** Why the URI cannot be registered, in words for the person who typed it, or null when it can. */
	public static @Nullable String problemWith(String raw) {
		if (raw.length() > MAX_LENGTH) {
			return "The Redirect URL must not be greater than " + MAX_LENGTH + " characters.";
		}
		if (raw.chars().anyMatch(c -> c <= 0x20 || c == 0x7f || c > 0x7e)) {
			return "The Redirect URL must not contain spaces, control or non-ASCII characters (percent-encode them).";
		}
		if (raw.contains("*")) {
			return "The Redirect URL must not contain a wildcard (*).";
		}
		URI uri;
		try {
			uri = new URI(raw);
		}
		catch (URISyntaxException ex) {
			return "The Redirect URL must be a valid URL.";
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!uri.isAbsolute() || uri.isOpaque() || !(scheme.equals("https") || scheme.equals("http"))) {
			return "The Redirect URL must be an absolute https URL (http only for 127.0.0.1 or [::1]).";
		}
		if (!uri.getScheme().equals(scheme)) {
			return "The Redirect URL scheme must be written in lower case.";
		}
		if (uri.getRawUserInfo() != null || uri.getRawAuthority() == null || uri.getRawAuthority().contains("@")) {
			return "The Redirect URL must not contain a user name or password.";
		}
		if (uri.getHost() == null || uri.getRawAuthority().contains("%")) {
			return "The Redirect URL must name a valid host.";
		}
		if (scheme.equals("http") && !isLoopback(uri)) {
			return "The Redirect URL must use https; plain http is allowed only for 127.0.0.1 or [::1].";
		}
		if (uri.getRawFragment() != null) {
			return "The Redirect URL must not contain a fragment (#).";
		}
		if (hasDotSegment(uri.getRawPath())) {
			return "The Redirect URL must not contain . or .. path segments.";
		}
		return null;
	}

	/** Dot segments, plain or percent-encoded, also behind a matrix parameter as in {@code ..;/}. */
	private static boolean hasDotSegment(@Nullable String rawPath) {
		if (rawPath == null) {
			return false;
		}
		for (String segment : rawPath.split("/", -1)) {
			int semicolon = segment.indexOf(';');
			String name = semicolon >= 0 ? segment.substring(0, semicolon) : segment;
			String decoded = decodePercent(name);
			if (decoded.equals(".") || decoded.equals("..")) {
				return true;
			}
		}
		return false;
	}

	private static String decodePercent(String value) {
		try {
			return java.net.URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return value;
		}
	}

}
