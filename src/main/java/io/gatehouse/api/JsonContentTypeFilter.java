package io.gatehouse.api;

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
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses an API write whose {@code Content-Type} is a wildcard ({@code *}{@code /*}, {@code application/*},
 * {@code application/*+json}) with 415, before Spring MVC sees it. A wildcard names no format (RFC 9110 8.3.1 allows
 * it only in {@code Accept}), and MVC's request wrapper fails on one with an {@code IllegalArgumentException}, which
 * would surface as a 500. Other content types that are not JSON reach MVC, which answers 415 the same way
 * ({@link ApiExceptionHandler}); this filter runs after the security chain, so 401 and 403 still come first.
 */
@Component
class JsonContentTypeFilter extends OncePerRequestFilter {

	/** The one answer to every body that is not sent as JSON. */
	static final String NOT_JSON = "The request body must be JSON, sent as application/json.";

	private static final Set<String> METHODS_WITH_BODY = Set.of("POST", "PUT", "PATCH");

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/api/") || !METHODS_WITH_BODY.contains(request.getMethod());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (isWildcard(request.getContentType())) {
			response.setHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE);
			ProblemResponses.write(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, NOT_JSON);
			return;
		}
		chain.doFilter(request, response);
	}

	private static boolean isWildcard(String contentType) {
		if (contentType == null) {
			return false;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return type.isWildcardType() || type.isWildcardSubtype();
		}
		catch (InvalidMediaTypeException ex) {
			// unparseable: MVC ignores it and answers 415 itself
			return false;
		}
	}

}
