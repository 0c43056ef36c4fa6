package io.gatehouse.oauth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * The authorization endpoint's errors as Spring answers them (RFC 6749 4.1.2.1: to the redirect URI when the client
 * and that URI are known to be right, else the error page), with two differences: a request URI that is unknown,
 * expired or used is {@code invalid_request_uri} (RFC 9126 4), not {@code invalid_request}; and the error page names
 * the error code ({@link #ERROR_CODE}), so whoever reports it can say which.
 */
final class AuthorizationErrorResponses implements AuthenticationFailureHandler {

	/** Request attribute read by the 400 page: the OAuth error code of an error shown there. */
	static final String ERROR_CODE = "oauthError";

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError()
				: new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST);
		OAuth2AuthorizationCodeRequestAuthenticationToken authorization =
				exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException code
						? code.getAuthorizationCodeRequestAuthentication() : null;
		if (isAboutRequestUri(error)) {
			// never redirected: the redirect URI would come from the unknown request
			error = PushedAuthorizationRequests.invalidRequestUri("The request_uri is unknown, expired or used.")
				.getError();
			authorization = null;
		}
		if (authorization == null || !StringUtils.hasText(authorization.getRedirectUri())) {
			request.setAttribute(ERROR_CODE, error.getErrorCode());
			response.sendError(HttpStatus.BAD_REQUEST.value(), error.toString());
			return;
		}
		UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(authorization.getRedirectUri())
			.queryParam(OAuth2ParameterNames.ERROR, error.getErrorCode());
		if (StringUtils.hasText(error.getDescription())) {
			uri.queryParam(OAuth2ParameterNames.ERROR_DESCRIPTION,
					UriUtils.encode(error.getDescription(), StandardCharsets.UTF_8));
		}
		if (StringUtils.hasText(error.getUri())) {
			uri.queryParam(OAuth2ParameterNames.ERROR_URI, UriUtils.encode(error.getUri(), StandardCharsets.UTF_8));
		}
		if (StringUtils.hasText(authorization.getState())) {
			uri.queryParam(OAuth2ParameterNames.STATE,
					UriUtils.encode(authorization.getState(), StandardCharsets.UTF_8));
		}
		// the components are encoded already
		response.sendRedirect(uri.build(true).toUriString());
	}

	/** Spring's {@code invalid_request} about the {@code request_uri} parameter. */
	private static boolean isAboutRequestUri(OAuth2Error error) {
		return OAuth2ErrorCodes.INVALID_REQUEST.equals(error.getErrorCode()) && error.getDescription() != null
				&& error.getDescription().endsWith(OAuth2ParameterNames.REQUEST_URI);
	}

}
