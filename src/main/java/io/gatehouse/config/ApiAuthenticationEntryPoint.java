package io.gatehouse.config;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.gatehouse.api.ProblemResponses;
import io.gatehouse.oauth.DPoPChallenge;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * 401 from the REST API: an RFC 6750 {@code WWW-Authenticate} challenge ({@code error="invalid_token"} when a bearer
 * token was presented and refused) and a problem body saying the same in words.
 */
final class ApiAuthenticationEntryPoint implements AuthenticationEntryPoint {

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			@Nullable AuthenticationException failure) throws IOException {
		if (failure instanceof DPoPChallenge dpop) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, dpop.wwwAuthenticate());
			ProblemResponses.write(response, HttpStatus.UNAUTHORIZED, dpop.getMessage());
		}
		else if (failure instanceof InvalidBearerTokenException invalid
				&& ApiBearerAuthentication.hasDPoPToken(request)) {
			// RFC 9449 7.1: a token sent with the DPoP scheme is answered with a DPoP challenge
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, DPoPChallenge.challenge("invalid_token",
					invalid.getMessage()));
			ProblemResponses.write(response, HttpStatus.UNAUTHORIZED, invalid.getMessage());
		}
		else if (failure instanceof InvalidBearerTokenException invalid) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", error_description=\""
					+ invalid.getMessage().replace("\"", "'") + "\"");
			ProblemResponses.write(response, HttpStatus.UNAUTHORIZED, invalid.getMessage());
		}
		else {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
			ProblemResponses.write(response, HttpStatus.UNAUTHORIZED, "Authentication is required.");
		}
	}

}
