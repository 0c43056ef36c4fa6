package io.gatehouse.personaltokens;

import java.util.ArrayList;
import java.util.List;

import io.gatehouse.personaltokens.PersonalAccessTokenService.AuthenticatedToken;
import io.gatehouse.signin.AccountAuthorities;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Authenticates a personal access token presented as {@code Authorization: Bearer gtpat_...} (RFC 6750). The
 * result's principal is the token's owner ({@link io.gatehouse.signin.SignedInUser}); its authorities are
 * {@code SCOPE_<scope>} for each scope and, with scope {@code api}, the owner's permissions as they are now. An
 * unknown, revoked or expired token throws {@link InvalidBearerTokenException}, which the resource server answers
 * with 401 and {@code WWW-Authenticate: Bearer error="invalid_token"}.
 */
@Component
// Deliberately not an AuthenticationManager bean: Spring Security would take a lone one for the form login's manager.
public class PersonalAccessTokenAuthenticationManager {

	private final PersonalAccessTokenService tokens;

	private final AccountAuthorities authorities;

	PersonalAccessTokenAuthenticationManager(PersonalAccessTokenService tokens, AccountAuthorities authorities) {
		this.tokens = tokens;
		this.authorities = authorities;
	}

	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
			throw new InvalidBearerTokenException("The bearer token is not a personal access token.");
		}
		AuthenticatedToken token = tokens.authenticate(bearer.getToken())
			.orElseThrow(() -> new InvalidBearerTokenException("The token is unknown, expired or revoked."));
		List<GrantedAuthority> granted = new ArrayList<>();
		token.scopes().forEach(scope -> granted.add(new SimpleGrantedAuthority("SCOPE_" + scope)));
		if (token.scopes().contains(PersonalAccessTokens.SCOPE_API)) {
			granted.addAll(authorities.of(token.user()));
		}
		PersonalAccessTokenAuthentication result = new PersonalAccessTokenAuthentication(token, granted);
		result.setDetails(bearer.getDetails());
		return result;
	}

}
