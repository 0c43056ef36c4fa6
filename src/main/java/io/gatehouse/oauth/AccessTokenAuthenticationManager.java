package io.gatehouse.oauth;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.gatehouse.oauth.VerifiedAccessTokens.VerifiedAccessToken;
import io.gatehouse.signin.AccountLookup;
import io.gatehouse.signin.SignedInUser;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Accepts this server's JWT access tokens on the REST API: signature, {@code typ: at+jwt}, expiry and audience
 * (the decoder), and not revoked (one primary-key read), both remembered by {@link VerifiedAccessTokens} until a
 * signal ends the token; then the user's current permissions (from the accounts cache), granted only when the token
 * carries the {@code api} scope. The request acts as the token's user. A token presented again costs no signature
 * check and no database read.
 */
// Deliberately not an AuthenticationManager bean: Spring Security would take a lone one for the form login's manager.
public final class AccessTokenAuthenticationManager {

	private final VerifiedAccessTokens tokens;

	private final AccountLookup accounts;

	AccessTokenAuthenticationManager(VerifiedAccessTokens tokens, AccountLookup accounts) {
		this.tokens = tokens;
		this.accounts = accounts;
	}

	/**
	 * @throws InvalidBearerTokenException for a token that is not this server's, expired, revoked, or whose user is
	 * no longer active
	 */
	public Authentication authenticate(Authentication authentication) {
		BearerTokenAuthenticationToken bearer = (BearerTokenAuthenticationToken) authentication;
		VerifiedAccessToken token;
		try {
			token = tokens.verify(bearer.getToken());
		}
		catch (JwtException ex) {
			throw new InvalidBearerTokenException("The access token is not valid.", ex);
		}
		if (token == null) {
			throw new InvalidBearerTokenException("The access token was revoked.");
		}
		SignedInUser user = userOf(token);
		Set<String> scopes = Set.of(token.scope().split(" "));
		List<GrantedAuthority> authorities = new ArrayList<>();
		scopes.forEach(scope -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope)));
		if (scopes.contains(Scopes.API)) {
			authorities.addAll(accounts.authoritiesOf(user));
		}
		UsernamePasswordAuthenticationToken result = UsernamePasswordAuthenticationToken.authenticated(user, null,
				authorities);
		result.setDetails(bearer.getDetails());
		return result;
	}

	private SignedInUser userOf(VerifiedAccessToken token) {
		try {
			return accounts.activeUser(Long.parseLong(String.valueOf(token.subject())))
				.orElseThrow(() -> new InvalidBearerTokenException("The token's user is not active."));
		}
		catch (NumberFormatException ex) {
			throw new InvalidBearerTokenException("The access token does not act for a user.");
		}
	}

}
