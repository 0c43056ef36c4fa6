package io.gatehouse.oauth;

import java.net.URL;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.gatehouse.oauth.VerifiedAccessTokens.VerifiedAccessToken;

import org.jspecify.annotations.Nullable;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimNames;
import org.springframework.security.oauth2.core.converter.ClaimConversionService;
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
 * <p>
 * A live access token is answered from {@link VerifiedAccessTokens} (no grant loaded from the store; on a hit no read
 * at all), with the claims Spring would answer: the token's own, with {@code active}, the client and the token type.
 * Everything else (refresh tokens, revoked, expired, unknown or foreign values) goes to Spring, which looks it up.
 */
final class OwnTokensIntrospectionAuthenticationProvider implements AuthenticationProvider {

	private static final TypeDescriptor OBJECT = TypeDescriptor.valueOf(Object.class);

	private static final TypeDescriptor STRINGS = TypeDescriptor.collection(List.class,
			TypeDescriptor.valueOf(String.class));

	private final OAuth2TokenIntrospectionAuthenticationProvider spring;

	private final VerifiedAccessTokens accessTokens;

	OwnTokensIntrospectionAuthenticationProvider(OAuth2TokenIntrospectionAuthenticationProvider spring,
			VerifiedAccessTokens accessTokens) {
		this.spring = spring;
		this.accessTokens = accessTokens;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		Authentication result = liveAccessToken((OAuth2TokenIntrospectionAuthenticationToken) authentication);
		if (result == null) {
			result = spring.authenticate(authentication);
		}
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

	/**
	 * The answer for a live access token of this server, as Spring's provider builds it from the stored token
	 * (RFC 7662 2.2); null for anything else, or a caller Spring would refuse.
	 */
	private @Nullable OAuth2TokenIntrospectionAuthenticationToken liveAccessToken(
			OAuth2TokenIntrospectionAuthenticationToken request) {
		if (!(request.getPrincipal() instanceof OAuth2ClientAuthenticationToken caller) || !caller.isAuthenticated()
				|| caller.getRegisteredClient() == null) {
			return null;
		}
		VerifiedAccessToken token = accessTokens.verifyOrNull(request.getToken());
		// Spring's OAuth2Authorization.Token#isActive: inactive from the instant after exp
		if (token == null || Instant.now().isAfter(token.expiresAt()) || token.clientId() == null) {
			return null;
		}
		Map<String, Object> claims = new HashMap<>(token.claims());
		if (claims.get(OAuth2TokenIntrospectionClaimNames.ISS) instanceof String issuer) {
			claims.put(OAuth2TokenIntrospectionClaimNames.ISS,
					ClaimConversionService.getSharedInstance().convert(issuer, URL.class));
		}
		Object scope = claims.get(OAuth2TokenIntrospectionClaimNames.SCOPE);
		if (scope != null && !(scope instanceof List)) {
			claims.put(OAuth2TokenIntrospectionClaimNames.SCOPE,
					ClaimConversionService.getSharedInstance().convert(scope, OBJECT, STRINGS));
		}
		OAuth2TokenIntrospection answer = OAuth2TokenIntrospection.withClaims(claims)
			.active(true)
			.clientId(token.clientId())
			// RFC 9449 6.2: a bound token is a DPoP token, its cnf.jkt among the claims
			.tokenType(DPoPProofs.boundKey(claims) != null ? OAuth2AccessToken.TokenType.DPOP.getValue()
					: OAuth2AccessToken.TokenType.BEARER.getValue())
			.build();
		return new OAuth2TokenIntrospectionAuthenticationToken(request.getToken(), caller, answer);
	}

	private static boolean mayKnow(RegisteredClient caller, OAuth2TokenIntrospection token) {
		// Spring sets client_id to the client the token was issued to
		return caller != null && (caller.getClientId().equals(token.getClientId())
				|| Boolean.TRUE.equals(
						caller.getClientSettings().getSetting(AuthClientRegisteredClientRepository.INTROSPECT_OTHERS)));
	}

}
