package io.gatehouse.oauth;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import io.gatehouse.secrets.Secrets;

import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * RFC 9126 4: a request URI is used once. Spring uses it up only when it issues a code or shows the consent page, so
 * a browser that is sent to sign in first leaves it usable meanwhile, by anyone who read it off the URL. Here the
 * first browser to present a request URI takes it: it is bound to a random value kept in that browser's session
 * (which survives signing in), and any other browser is refused with {@code invalid_request_uri}, signed in or not.
 * The same browser may present it again (the sign-in detour, a reload); the token store still lets only one of its
 * requests use it up.
 */
final class PushedRequestUserAgentFilter extends OncePerRequestFilter {

	static final String REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:";

	/** The session attribute: this browser's random value, whose SHA-256 the request URIs it took carry. */
	static final String USER_AGENT = PushedRequestUserAgentFilter.class.getName() + ".userAgent";

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
		if (!key.isEmpty() && !tokens.bindRequestUri(key, userAgent(request.getSession()))) {
			// taken by another browser, or unknown: never redirected, as for any unusable request URI
			errors.onAuthenticationFailure(request, response,
					PushedAuthorizationRequests.invalidRequestUri("The request_uri is unknown, expired or used."));
			return;
		}
		chain.doFilter(request, response);
	}

	private static String userAgent(HttpSession session) {
		if (session.getAttribute(USER_AGENT) instanceof String value) {
			return value;
		}
		String value = Secrets.generate("");
		session.setAttribute(USER_AGENT, value);
		return value;
	}

}
