package io.gatehouse.oauth;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;

/**
 * What {@link TokenExchangeAuthenticationProvider} decided an exchanged token carries beyond the usual claims, handed
 * to the token generator as the context's authorization grant, where {@link AccessTokenClaims} reads it.
 *
 * @param audiences the {@code aud} values besides the REST API's
 * @param act the RFC 8693 4.1 {@code act} claim; null when there is no actor (impersonation of a token without one)
 * @param notAfter the subject token's {@code exp}: the exchanged token never outlives it
 */
final class TokenExchangeGrant extends OAuth2AuthorizationGrantAuthenticationToken {

	private static final long serialVersionUID = 1L;

	private final List<String> audiences;

	private final transient @Nullable Map<String, Object> act;

	private final Instant notAfter;

	TokenExchangeGrant(Authentication client, List<String> audiences, @Nullable Map<String, Object> act,
			Instant notAfter) {
		super(AuthorizationGrantType.TOKEN_EXCHANGE, client, Map.of());
		this.audiences = List.copyOf(audiences);
		this.act = act == null ? null : Map.copyOf(act);
		this.notAfter = notAfter;
	}

	List<String> audiences() {
		return audiences;
	}

	@Nullable Map<String, Object> act() {
		return act;
	}

	Instant notAfter() {
		return notAfter;
	}

}
