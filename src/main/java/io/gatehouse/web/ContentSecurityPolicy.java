package io.gatehouse.web;

import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The console's Content-Security-Policy: same-origin scripts, styles, images and form targets only.
 */
public final class ContentSecurityPolicy {

	private static final String WITHOUT_FORM_ACTION = "default-src 'self'; script-src 'self'; "
			+ "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
			+ "frame-ancestors 'none'";

	/** The policy of every console page. */
	public static final String CONSOLE = WITHOUT_FORM_ACTION + "; form-action 'self'";

	/**
	 * The login page's policy. Signing in may resume an OAuth authorization whose last redirect goes to a client's
	 * redirect URI, which no fixed {@code form-action} list can name (browsers check it against every redirect after
	 * a form post). The login form itself posts to this server; scripts stay limited to same-origin files.
	 */
	public static final String LOGIN = WITHOUT_FORM_ACTION;

	private ContentSecurityPolicy() {
	}

	/**
	 * The console's policy for a page whose form is answered by a redirect to one of {@code redirectUris} (the OAuth
	 * consent page). Browsers check {@code form-action} against every redirect that follows a form submission, so
	 * {@code 'self'} alone would stop the browser on its way back to the client. Each URI's origin is allowed; a
	 * loopback {@code http} URI allows any port of its address, as RFC 8252 lets the port vary.
	 */
	public static String allowingFormRedirectsTo(Collection<String> redirectUris) {
		Set<String> sources = new LinkedHashSet<>();
		for (String redirectUri : redirectUris) {
			URI uri = URI.create(redirectUri);
			String host = uri.getHost();
			if (uri.getScheme() == null || host == null) {
				continue;
			}
			boolean loopback = "http".equalsIgnoreCase(uri.getScheme())
					&& (host.equals("127.0.0.1") || host.equals("[::1]"));
			String port = loopback ? ":*" : uri.getPort() == -1 ? "" : ":" + uri.getPort();
			sources.add(uri.getScheme().toLowerCase() + "://" + host + port);
		}
		return sources.isEmpty() ? CONSOLE : CONSOLE + " " + String.join(" ", sources);
	}

}
