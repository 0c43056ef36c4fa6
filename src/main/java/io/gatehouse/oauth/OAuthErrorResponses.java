package io.gatehouse.oauth;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * The error responses of the token, introspection and revocation endpoints (RFC 6749 5.2): a JSON body with the
 * {@code error} code; 401 with a {@code WWW-Authenticate} challenge for {@code invalid_client}, 400 for the rest.
 * Spring answers {@code invalid_client} without the challenge (and as 400 from the endpoints themselves), and leaves
 * a request without client credentials to the chain's entry point, which sent it to the login page.
 */
final class OAuthErrorResponses implements AuthenticationFailureHandler, AuthenticationEntryPoint {

	/**
	 * RFC 6749 2.3.1: clients authenticate with HTTP Basic (or the form fields {@code client_id} and
	 * {@code client_secret}).
	 */
	static final String CHALLENGE = "Basic realm=\"gatehouse\", charset=\"UTF-8\"";

	/** The request attribute naming the error code answered, for {@link TokenEndpointMetrics}. */
	static final String ERROR_CODE_ATTRIBUTE = OAuthErrorResponses.class.getName() + ".errorCode";

	private static final OAuth2ErrorHttpMessageConverter JSON = new OAuth2ErrorHttpMessageConverter();

	private final boolean codeOnly;

	private OAuthErrorResponses(boolean codeOnly) {
		this.codeOnly = codeOnly;
	}

	/** For failed client authentication: only the code, as Spring answers, so nothing about the client leaks. */
	static OAuthErrorResponses forClientAuthentication() {
		return new OAuthErrorResponses(true);
	}

	/** For the endpoints' own errors, with Spring's description ("OAuth 2.0 Parameter: scope"). */
	static OAuthErrorResponses forEndpoints() {
		return new OAuthErrorResponses(false);
	}

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		OAuth2Error error = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError()
				: new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST);
		request.setAttribute(ERROR_CODE_ATTRIBUTE, error.getErrorCode());
		if (request.getAttribute(DPoPTokenRequestConverter.NONCE_ATTRIBUTE) instanceof String nonce) {
			response.setHeader("DPoP-Nonce", nonce);
		}
		write(response, codeOnly ? new OAuth2Error(error.getErrorCode()) : error);
	}

	/** A request that sent no client credentials at all. */
	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		request.setAttribute(ERROR_CODE_ATTRIBUTE, OAuth2ErrorCodes.INVALID_CLIENT);
		write(response, new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
				"Client authentication is required: client_secret_basic or client_secret_post.", null));
	}

	static void write(HttpServletResponse response, OAuth2Error error) throws IOException {
		if (OAuth2ErrorCodes.INVALID_CLIENT.equals(error.getErrorCode())) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
			write(response, HttpStatus.UNAUTHORIZED, error);
		}
		else {
			write(response, HttpStatus.BAD_REQUEST, error);
		}
	}

	static void write(HttpServletResponse response, HttpStatus status, OAuth2Error error) throws IOException {
		ServletServerHttpResponse http = new ServletServerHttpResponse(response);
		http.setStatusCode(status);
		JSON.write(error, null, http);
	}

}
