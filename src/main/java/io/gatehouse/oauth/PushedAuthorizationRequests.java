package io.gatehouse.oauth;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2PushedAuthorizationRequestAuthenticationProvider;

/**
 * Pushed authorization requests (RFC 9126) with Spring's endpoint and Gatehouse's token store: the pushed request is
 * stored as a grant whose {@code request_uri} is a token of its own ({@link JdbcTokenStore#REQUEST_URI}), expiring
 * with it and used up once; and an unknown, expired or used request URI is {@code invalid_request_uri} (RFC 9126 4,
 * RFC 9101 7), where Spring says {@code invalid_request} ({@link AuthorizationErrorResponses}).
 */
final class PushedAuthorizationRequests {

	static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc9126#section-4";

	/** Spring's request URI: {@code urn:ietf:params:oauth:request_uri:<key>___<expiry in epoch millis>}. */
	private static final String EXPIRY_DELIMITER = "___";

	private PushedAuthorizationRequests() {
	}

	static OAuth2AuthorizationCodeRequestAuthenticationException invalidRequestUri(String description) {
		return new OAuth2AuthorizationCodeRequestAuthenticationException(
				new OAuth2Error("invalid_request_uri", description, ERROR_URI), null);
	}

	/** The PAR endpoint's provider, storing what it is pushed through {@link JdbcTokenStore#savePushedRequest}. */
	static void storedInTokenStore(List<AuthenticationProvider> providers, JdbcTokenStore tokens) {
		providers.replaceAll(provider -> provider instanceof OAuth2PushedAuthorizationRequestAuthenticationProvider
				? new OAuth2PushedAuthorizationRequestAuthenticationProvider(new PushedRequestStore(tokens))
				: provider);
	}

	/** What Spring's PAR provider writes to: the token store, told that the grant is a pushed request. */
	private static final class PushedRequestStore implements OAuth2AuthorizationService {

		private final JdbcTokenStore tokens;

		PushedRequestStore(JdbcTokenStore tokens) {
			this.tokens = tokens;
		}

		@Override
		public void save(OAuth2Authorization authorization) {
			tokens.savePushedRequest(authorization, expiryOf(authorization.getAttribute(OAuth2ParameterNames.STATE)));
		}

		private static Instant expiryOf(@Nullable String state) {
			int delimiter = state == null ? -1 : state.lastIndexOf(EXPIRY_DELIMITER);
			if (delimiter < 0) {
				return Instant.now().plus(JdbcTokenStore.REQUEST_URI_LIFETIME);
			}
			try {
				return Instant.ofEpochMilli(Long.parseLong(state.substring(delimiter + EXPIRY_DELIMITER.length())));
			}
			catch (NumberFormatException ex) {
				return Instant.now().plus(JdbcTokenStore.REQUEST_URI_LIFETIME);
			}
		}

		@Override
		public void remove(OAuth2Authorization authorization) {
			tokens.remove(authorization);
		}

		@Override
		public @Nullable OAuth2Authorization findById(String id) {
			return tokens.findById(id);
		}

		@Override
		public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
			return tokens.findByToken(token, tokenType);
		}

	}

}
