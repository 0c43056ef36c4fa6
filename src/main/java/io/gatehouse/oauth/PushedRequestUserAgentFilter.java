package io.gatehouse.oauth;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Cookie;

import io.gatehouse.secrets.Secrets;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * RFC 9126 4: a request URI is used once. Spring uses it up only when it issues a code or shows the consent page, so
 * a browser that is sent to sign in first leaves it usable meanwhile, by anyone who read it off the URL. Here the
 * first browser to present a request URI takes it: it is bound to a random value kept in a cookie of that browser
 * (not in the session: two first requests of one browser at once would both write it there), which survives signing
 * in, and any other browser is refused with {@code invalid_request_uri}, signed in or not.
 * The same browser may present it again (the sign-in detour, a reload); the token store still lets only one of its
 * requests use it up ({@link JdbcTokenStore#PRESENTED_REQUEST_URI}).
 */
final class PushedRequestUserAgentFilter extends OncePerRequestFilter {

	static final String REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:";

	/** The cookie: this browser's random value, whose SHA-256 the request URIs it took carry. */
	static final String COOKIE = "GATEHOUSE_PAR";

	/** Longer than a request URI lives ({@link JdbcTokenStore#REQUEST_URI_LIFETIME}), with time to sign in. */
	private static final Duration COOKIE_LIFETIME = Duration.ofMinutes(15);

	private final RequestMatcher authorizationEndpoint;

	private final JdbcTokenStore tokens;

	private final AuthorizationErrorResponses errors = new AuthorizationErrorResponses();

	PushedRequestUserAgentFilter(RequestMatcher authorizationEndpoint, JdbcTokenStore tokens) {
		this.authorizationEndpoint = authorizationEndpoint;
		this.tokens = tokens;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String requestUri = request.getParameter(OAuth2ParameterNames.REQUEST_URI);
		return requestUri == null || !requestUri.startsWith(REQUEST_URI_PREFIX)
				|| !authorizationEndpoint.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String key = request.getParameter(OAuth2ParameterNames.REQUEST_URI).substring(REQUEST_URI_PREFIX.length());
		String known = userAgent(request);
		String userAgent = known != null ? known : Secrets.generate("");
		if (key.isEmpty() || !tokens.bindRequestUri(key, userAgent)) {
			// taken by another browser, or unknown: never redirected, as for any unusable request URI
			errors.onAuthenticationFailure(request, response,
					PushedAuthorizationRequests.invalidRequestUri("The request_uri is unknown, expired or used."));
			return;
		}
		if (known == null) {
			// only once it took the request URI, so a request that lost does not replace the cookie of one that won
			response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(COOKIE, userAgent).path("/oauth")
				.httpOnly(true).secure(request.isSecure()).sameSite("Lax").maxAge(COOKIE_LIFETIME).build()
				.toString());
		}
		request.setAttribute(JdbcTokenStore.PRESENTED_REQUEST_URI, TokenHashes.of(key));
		chain.doFilter(request, response);
	}

	private static @Nullable String userAgent(HttpServletRequest request) {
		Cookie[] cookies = request.getCookies();
		if (cookies != null) {
			for (Cookie cookie : cookies) {
				if (COOKIE.equals(cookie.getName()) && cookie.getValue().length() == 43) {
					return cookie.getValue();
				}
			}
		}
		return null;
	}

}
