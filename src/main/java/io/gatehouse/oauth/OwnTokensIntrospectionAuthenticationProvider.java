package io.gatehouse.oauth;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Spring's introspection, limited to what the caller may know. RFC 7662 leaves it to the server which clients may
 * learn about which tokens (2.1, 4); Spring tells any authenticated client about any token. Here a client learns only
 * about tokens issued to it, unless an administrator marked it as a resource server that may introspect tokens of
 * other clients. To everyone else such a token is {@code {"active": false}}, exactly as an unknown one (RFC 7662 2.2).
 */
final class OwnTokensIntrospectionAuthenticationProvider implements AuthenticationProvider {

	private final OAuth2TokenIntrospectionAuthenticationProvider spring;

	OwnTokensIntrospectionAuthenticationProvider(OAuth2TokenIntrospectionAuthenticationProvider spring) {
		this.spring = spring;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		Authentication result = spring.authenticate(authentication);
		if (result instanceof OAuth2TokenIntrospectionAuthenticationToken introspection
				&& introspection.getTokenClaims().isActive()
				&& introspection.getPrincipal() instanceof OAuth2ClientAuthenticationToken caller
				&& !mayKnow(caller.getRegisteredClient(), introspection.getTokenClaims())) {
			return new OAuth2TokenIntrospectionAuthenticationToken(introspection.getToken(), caller,
					OAuth2TokenIntrospection.builder().build());
		}
		return result;
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return spring.supports(authentication);
	}

	private static boolean mayKnow(RegisteredClient caller, OAuth2TokenIntrospection token) {
		// Spring sets client_id to the client the token was issued to
		return caller != null && (caller.getClientId().equals(token.getClientId())
				|| Boolean.TRUE.equals(
						caller.getClientSettings().getSetting(AuthClientRegisteredClientRepository.INTROSPECT_OTHERS)));
	}

}
