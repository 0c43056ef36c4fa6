package io.gatehouse.oauth;

import io.gatehouse.personaltokens.PersonalAccessToken;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationToken;

/**
 * Spring's revocation (RFC 7009), with two answers made precise:
 * <ul>
 * <li>A token issued to another client is refused (RFC 7009 2.1: the server verifies the token was issued to the
 * client making the request), and stays valid. Spring refuses it with {@code invalid_client}, which says the
 * client's own credentials were wrong; the client did authenticate, so the answer is {@code unauthorized_client}.</li>
 * <li>A personal access token is not revoked here but by its owner, in the console or the REST API:
 * {@code unsupported_token_type} (RFC 7009 2.2.1), rather than a 200 that would claim it was.</li>
 * </ul>
 */
final class OwnTokensRevocationAuthenticationProvider implements AuthenticationProvider {

	private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc7009#section-2.2.1";

	private final OAuth2TokenRevocationAuthenticationProvider spring;

	OwnTokensRevocationAuthenticationProvider(OAuth2TokenRevocationAuthenticationProvider spring) {
		this.spring = spring;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		OAuth2TokenRevocationAuthenticationToken request = (OAuth2TokenRevocationAuthenticationToken) authentication;
		if (PersonalAccessToken.hasFormat(request.getToken())) {
			throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.UNSUPPORTED_TOKEN_TYPE,
					"Personal access tokens are revoked by their owner, in the console or the REST API.", ERROR_URI));
		}
		try {
			return spring.authenticate(authentication);
		}
		catch (OAuth2AuthenticationException ex) {
			// Spring's other invalid_client, for an unauthenticated caller, cannot get this far: the chain requires one
			if (OAuth2ErrorCodes.INVALID_CLIENT.equals(ex.getError().getErrorCode())
					&& request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
					&& client.isAuthenticated()) {
				throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
						"The token was not issued to this client.", ERROR_URI), ex);
			}
			throw ex;
		}
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return spring.supports(authentication);
	}

}
