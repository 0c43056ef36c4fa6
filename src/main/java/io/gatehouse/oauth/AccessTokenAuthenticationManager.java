package io.gatehouse.oauth;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.gatehouse.signin.AccountLookup;
import io.gatehouse.signin.SignedInUser;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Accepts this server's JWT access tokens on the REST API: signature, {@code typ: at+jwt}, expiry and audience
 * (the decoder), then one primary-key read to refuse revoked tokens at once, then the user's current permissions —
 * granted only when the token carries the {@code api} scope. The request acts as the token's user.
 */
// Deliberately not an AuthenticationManager bean: Spring Security would take a lone one for the form login's manager.
public final class AccessTokenAuthenticationManager {

	private final JwtDecoder decoder;

	private final JdbcTokenStore store;

	private final AccountLookup accounts;

	AccessTokenAuthenticationManager(JwtDecoder decoder, JdbcTokenStore store, AccountLookup accounts) {
		this.decoder = decoder;
		this.store = store;
		this.accounts = accounts;
	}

	/**
	 * @throws InvalidBearerTokenException for a token that is not this server's, expired, revoked, or whose user is
	 * no longer active
	 */
	public Authentication authenticate(Authentication authentication) {
		String value = ((BearerTokenAuthenticationToken) authentication).getToken();
		Jwt jwt;
		try {
			jwt = decoder.decode(value);
		}
		catch (JwtException ex) {
			throw new InvalidBearerTokenException("The access token is not valid.", ex);
		}
		if (!store.isAccessTokenLive(value)) {
			throw new InvalidBearerTokenException("The access token was revoked.");
		}
		SignedInUser user = userOf(jwt);
		Set<String> scopes = Set.of(String.valueOf(jwt.getClaims().getOrDefault("scope", "")).split(" "));
		List<GrantedAuthority> authorities = new ArrayList<>();
		scopes.forEach(scope -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope)));
		if (scopes.contains(Scopes.API)) {
			authorities.addAll(accounts.authoritiesOf(user));
		}
		UsernamePasswordAuthenticationToken result = UsernamePasswordAuthenticationToken.authenticated(user, null,
				authorities);
		result.setDetails(jwt);
		return result;
	}

	private SignedInUser userOf(Jwt jwt) {
		try {
			return accounts.activeUser(Long.parseLong(jwt.getSubject()))
				.orElseThrow(() -> new InvalidBearerTokenException("The token's user is not active."));
		}
		catch (NumberFormatException ex) {
			throw new InvalidBearerTokenException("The access token does not act for a user.");
		}
	}

}
