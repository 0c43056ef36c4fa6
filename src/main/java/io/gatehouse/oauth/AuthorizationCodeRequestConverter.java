package io.gatehouse.oauth;

import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationResponseType;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationValidator;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AuthorizationCodeRequestAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.util.StringUtils;

/**
 * Spring's reading of an authorization request (RFC 6749 4.1.1), with two errors answered as RFC 6749 4.1.2.1 says:
 * <ul>
 * <li>An unsupported {@code response_type} is sent to the client's redirect URI as
 * {@code unsupported_response_type}, once the client and that URI check out as for any other error. Spring checks
 * the response type before it knows the client, so it can only show the user an error page, and the client never
 * learns why.</li>
 * <li>A client without the authorization code grant gets the error page ({@code unauthorized_client}, never a
 * redirect). Spring fails with a server error on such a client when the request names no redirect URI, looking for a
 * registered one the client does not have.</li>
 * </ul>
 */
final class AuthorizationCodeRequestConverter implements AuthenticationConverter {

	private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc6749#section-4.1.2.1";

	private final OAuth2AuthorizationCodeRequestAuthenticationConverter spring =
			new OAuth2AuthorizationCodeRequestAuthenticationConverter();

	private final RegisteredClientRepository clients;

	AuthorizationCodeRequestConverter(RegisteredClientRepository clients) {
		this.clients = clients;
	}

	@Override
	public @Nullable Authentication convert(HttpServletRequest request) {
		Authentication converted;
		try {
			converted = spring.convert(request);
		}
		catch (OAuth2AuthorizationCodeRequestAuthenticationException ex) {
			if (!OAuth2ErrorCodes.UNSUPPORTED_RESPONSE_TYPE.equals(ex.getError().getErrorCode())) {
				throw ex;
			}
			throw atRedirectUri(ex.getError(), request);
		}
		if (converted instanceof OAuth2AuthorizationCodeRequestAuthenticationToken authorization) {
			clientWithCodeGrant(authorization);
		}
		return converted;
	}

	/** The error, to be sent to the redirect URI the request names, when the client and that URI are right. */
	private OAuth2AuthorizationCodeRequestAuthenticationException atRedirectUri(OAuth2Error error,
			HttpServletRequest request) {
		// read the rest of the request as Spring would, to know its client, redirect URI and state
		if (!(spring.convert(new AskingForCode(request))
				instanceof OAuth2AuthorizationCodeRequestAuthenticationToken authorization)) {
			return new OAuth2AuthorizationCodeRequestAuthenticationException(error, null);
		}
		RegisteredClient client = clientWithCodeGrant(authorization);
		if (client == null) {
			return new OAuth2AuthorizationCodeRequestAuthenticationException(error, null);
		}
		// throws, without a redirect, when the redirect URI is not one registered for the client
		OAuth2AuthorizationCodeRequestAuthenticationValidator.DEFAULT_REDIRECT_URI_VALIDATOR
			.accept(OAuth2AuthorizationCodeRequestAuthenticationContext.with(authorization)
				.registeredClient(client)
				.build());
		String redirectUri = StringUtils.hasText(authorization.getRedirectUri()) ? authorization.getRedirectUri()
				: client.getRedirectUris().iterator().next();
		return new OAuth2AuthorizationCodeRequestAuthenticationException(
				new OAuth2Error(error.getErrorCode(), error.getDescription(), ERROR_URI),
				new OAuth2AuthorizationCodeRequestAuthenticationToken(authorization.getAuthorizationUri(),
						authorization.getClientId(), (Authentication) authorization.getPrincipal(), redirectUri,
						authorization.getState(), authorization.getScopes(), authorization.getAdditionalParameters()));
	}

	/**
	 * The registered client, when there is one; refused (error page, no redirect) when it does not have the code
	 * grant.
	 */
	private @Nullable RegisteredClient clientWithCodeGrant(OAuth2AuthorizationCodeRequestAuthenticationToken request) {
		RegisteredClient client = clients.findByClientId(request.getClientId());
		if (client != null
				&& !client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.AUTHORIZATION_CODE)) {
			throw new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(
					OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, "OAuth 2.0 Parameter: " + OAuth2ParameterNames.CLIENT_ID,
					ERROR_URI), null);
		}
		return client;
	}

	/** The request as if it asked for a code, so that Spring reads its other parameters. */
	private static final class AskingForCode extends HttpServletRequestWrapper {

		private final Map<String, String[]> parameters;

		AskingForCode(HttpServletRequest request) {
			super(request);
			parameters = new HashMap<>(request.getParameterMap());
			parameters.put(OAuth2ParameterNames.RESPONSE_TYPE,
					new String[] { OAuth2AuthorizationResponseType.CODE.getValue() });
		}

		@Override
		public String getParameter(String name) {
			String[] values = parameters.get(name);
			return values == null ? null : values[0];
		}

		@Override
		public String[] getParameterValues(String name) {
			return parameters.get(name);
		}

		@Override
		public Map<String, String[]> getParameterMap() {
			return parameters;
		}

	}

}
