package io.gatehouse.oauth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import io.gatehouse.oauth.DPoPProofs.DPoPProofException;
import io.gatehouse.oauth.VerifiedAccessTokens.VerifiedAccessToken;
import io.gatehouse.signin.AccountLookup;
import io.gatehouse.signin.SignedInUser;

import org.springframework.http.HttpHeaders;
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

	private final DPoPProofs proofs;

	AccessTokenAuthenticationManager(VerifiedAccessTokens tokens, AccountLookup accounts, DPoPProofs proofs) {
		this.tokens = tokens;
		this.accounts = accounts;
		this.proofs = proofs;
	}

	/**
	 * Like {@link #authenticate(Authentication)}, with RFC 9449 7: a DPoP-bound token ({@code cnf.jkt}) only as
	 * {@code Authorization: DPoP} with a {@code DPoP} proof of this request ({@code htm}, {@code htu}, {@code ath})
	 * signed by the token's key, checked on every request (the token itself comes from the cache); a token that is
	 * not bound only as {@code Bearer}.
	 *
	 * @throws DPoPChallenge for a DPoP reason; InvalidBearerTokenException as for any bearer token
	 */
	public Authentication authenticate(Authentication authentication, HttpServletRequest request) {
		BearerTokenAuthenticationToken bearer = (BearerTokenAuthenticationToken) authentication;
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		boolean dpopScheme = header != null && header.regionMatches(true, 0, "DPoP ", 0, 5);
		VerifiedAccessToken token = verified(bearer);
		String boundKey = DPoPProofs.boundKey(token.claims());
		if (boundKey == null) {
			if (dpopScheme) {
				throw new DPoPChallenge("invalid_token", "The access token is not DPoP-bound: send it as Bearer.");
			}
			return authenticated(bearer, token);
		}
		if (!dpopScheme) {
			// RFC 9449 7.2: a bound token is no bearer token; whoever holds a copy still lacks the key
			throw new DPoPChallenge("invalid_token", "The access token is DPoP-bound: send it as DPoP with a proof.");
		}
		List<String> proofHeaders = Collections.list(request.getHeaders(DPoPTokenRequestConverter.DPOP));
		if (proofHeaders.size() != 1 || proofHeaders.get(0).isBlank()) {
			throw new DPoPChallenge(DPoPProofException.INVALID_DPOP_PROOF, "Send one DPoP proof with the token.");
		}
		String thumbprint;
		try {
			thumbprint = proofs.verify(proofHeaders.get(0), request.getMethod(), request.getRequestURL().toString(),
					bearer.getToken(), false);
		}
		catch (DPoPProofException ex) {
			throw new DPoPChallenge(DPoPProofException.INVALID_DPOP_PROOF, ex.getMessage());
		}
		if (!thumbprint.equals(boundKey)) {
			throw new DPoPChallenge(DPoPProofException.INVALID_DPOP_PROOF,
					"The DPoP proof is not signed with the key the access token is bound to.");
		}
		return authenticated(bearer, token);
	}

	/**
	 * @throws InvalidBearerTokenException for a token that is not this server's, expired, revoked, or whose user is
	 * no longer active
	 */
	public Authentication authenticate(Authentication authentication) {
		BearerTokenAuthenticationToken bearer = (BearerTokenAuthenticationToken) authentication;
		VerifiedAccessToken token = verified(bearer);
		if (DPoPProofs.boundKey(token.claims()) != null) {
			throw new DPoPChallenge("invalid_token", "The access token is DPoP-bound: send it as DPoP with a proof.");
		}
		return authenticated(bearer, token);
	}

	private VerifiedAccessToken verified(BearerTokenAuthenticationToken bearer) {
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
		return token;
	}

	private Authentication authenticated(BearerTokenAuthenticationToken bearer, VerifiedAccessToken token) {
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
