package io.gatehouse.config;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.security.web.csrf.DeferredCsrfToken;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.WebUtils;

/**
 * Copies the session's CSRF token into the readable {@code XSRF-TOKEN} cookie ({@code SameSite=Lax}, not
 * {@code HttpOnly}, so page scripts and Swagger UI can read it) whenever the cookie does not already hold it: on the
 * first page after signing in, and after the token changed (it is renewed at every sign-in). Only requests that
 * belong to a session get one; a bearer or anonymous request makes no session for a token nobody needs.
 */
final class XsrfCookieFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		DeferredCsrfToken deferred = (DeferredCsrfToken) request.getAttribute(DeferredCsrfToken.class.getName());
		if (deferred != null && request.getSession(false) != null
				&& !ApiBearerAuthentication.hasBearerToken(request)) {
			String token = deferred.get().getToken();
			Cookie current = WebUtils.getCookie(request, SecurityConfiguration.XSRF_COOKIE);
			if (current == null || !token.equals(current.getValue())) {
				response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(SecurityConfiguration.XSRF_COOKIE, token)
					.path("/")
					.sameSite("Lax")
					.secure(request.isSecure())
					.httpOnly(false)
					.build()
					.toString());
			}
		}
		chain.doFilter(request, response);
	}

}
