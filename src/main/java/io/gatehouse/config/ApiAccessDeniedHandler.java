package io.gatehouse.config;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.gatehouse.api.ProblemResponses;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 403 from the REST API, as problem JSON. A missing CSRF token on a request without a session is really "not signed
 * in": answered 401 like the rest of the API, and 403 only to a signed-in caller.
 */
final class ApiAccessDeniedHandler implements AccessDeniedHandler {

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
			throws IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || authentication instanceof AnonymousAuthenticationToken) {
			new ApiAuthenticationEntryPoint().commence(request, response, null);
		}
		else if (ApiBearerAuthentication.hasBearerToken(request) && authentication.getAuthorities()
			.stream()
			.noneMatch(authority -> "SCOPE_api".equals(authority.getAuthority()))) {
			// RFC 6750 3.1: the token is fine but was not granted the scope the REST API needs
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", scope=\"api\"");
			ProblemResponses.write(response, HttpStatus.FORBIDDEN, "The token was not granted the api scope.");
		}
		else {
			ProblemResponses.write(response, HttpStatus.FORBIDDEN,
					"You do not have permission to do this, or the X-XSRF-TOKEN header is missing.");
		}
	}

}
