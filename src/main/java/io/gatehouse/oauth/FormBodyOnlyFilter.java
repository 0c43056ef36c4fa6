package io.gatehouse.oauth;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The token, introspection and revocation endpoints take a POST with an {@code application/x-www-form-urlencoded}
 * body (RFC 6749 3.2 and 4.x, RFC 7009 2.1, RFC 7662 2.1), and nothing else:
 * <ul>
 * <li>another method gets 405;</li>
 * <li>a body of another (or no) content type, or one that cannot be parsed, is not a form:
 * {@code invalid_request};</li>
 * <li>a parameter these endpoints read, above all a credential, in the query string: {@code invalid_request}. URLs
 * end up in access logs, proxies and browser history; refusing them (rather than ignoring them, as Spring does) tells
 * the client's developers at once. Unrecognised query parameters are ignored (RFC 6749 3.2).</li>
 * </ul>
 * Runs before client authentication, so a client secret in the URL is refused, not tried.
 */
final class FormBodyOnlyFilter extends OncePerRequestFilter {

	private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc6749#section-3.2";

	/**
	 * What these endpoints read: RFC 6749 (2.3.1, 4.1.3, 4.3.2, 4.4.2, 6), RFC 7636 4.5, RFC 7009 2.1, RFC 7662 2.1
	 * and RFC 7521 4.2; and the credentials of grants that are not served (RFC 8628 3.4, RFC 8693 2.1), which are
	 * credentials all the same.
	 */
	static final Set<String> OAUTH_PARAMETERS = Set.of("grant_type", "code", "redirect_uri", "client_id",
			"client_secret", "code_verifier", "refresh_token", "scope", "username", "password", "token",
			"token_type_hint", "client_assertion", "client_assertion_type", "assertion", "device_code",
			"subject_token", "actor_token");

	private final RequestMatcher endpoints;

	FormBodyOnlyFilter(RequestMatcher endpoints) {
		this.endpoints = endpoints;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !endpoints.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!"POST".equals(request.getMethod())) {
			response.setHeader(HttpHeaders.ALLOW, "POST");
			OAuthErrorResponses.write(response, HttpStatus.METHOD_NOT_ALLOWED,
					error("This endpoint accepts only POST."));
			return;
		}
		if (!isForm(request.getContentType())) {
			OAuthErrorResponses.write(response, error(
					"The request body must be application/x-www-form-urlencoded (with a known charset, if any)."));
			return;
		}
		try {
			request.getParameterMap();
		}
		catch (IllegalStateException unreadable) {
			// Servlet 6.1: the container could not parse the parameters (malformed, or too many)
			OAuthErrorResponses.write(response, error("The request parameters could not be read."));
			return;
		}
		for (String name : FormParameters.queryCounts(request).keySet()) {
			if (OAUTH_PARAMETERS.contains(name)) {
				// the name only: the value may be a secret
				OAuthErrorResponses.write(response,
						error("OAuth 2.0 Parameter: " + name + " belongs in the form body, not in the URL."));
				return;
			}
		}
		chain.doFilter(request, response);
	}

	private static boolean isForm(String contentType) {
		if (contentType == null) {
			return false;
		}
		try {
			return MediaType.APPLICATION_FORM_URLENCODED.equalsTypeAndSubtype(MediaType.parseMediaType(contentType));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	private static OAuth2Error error(String description) {
		return new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, description, ERROR_URI);
	}

}
