package io.gatehouse.oauth;

import java.util.UUID;

import com.nimbusds.jose.jwk.JWK;
import io.gatehouse.signin.AccountLookup;
import io.gatehouse.signin.SignedInUser;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Shapes the JWTs this server signs. Access tokens follow RFC 9068: header {@code typ: at+jwt}; claims {@code iss},
 * {@code sub} (the account id, stable across username changes), {@code aud}, {@code client_id}, {@code scope} (a
 * space-separated string), {@code jti}, {@code iat}, {@code exp}. ID tokens carry the profile and email claims the
 * granted scopes allow. Refuses to issue anything for an account that is no longer active (for example on refresh).
 */
final class AccessTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

	private static final AuthorizationGrantType PASSWORD = AuthClientRegisteredClientRepository.PASSWORD;

	private final AccountLookup accounts;

	private final AuthClientRegisteredClientRepository clients;

	private final String audience;

	private final DPoPProofs proofs;

	AccessTokenClaims(AccountLookup accounts, AuthClientRegisteredClientRepository clients, String audience,
			DPoPProofs proofs) {
		this.accounts = accounts;
		this.clients = clients;
		this.audience = audience;
		this.proofs = proofs;
	}

	/**
	 * The account the token acts for: the signed-in user, or for client credentials the client's service account.
	 * Refuses (invalid_grant) when that account is no longer active, for example when a refresh comes after the
	 * user was deactivated. The password grant has just checked the account (active, password) in this request, and
	 * the service account comes with the cached client (dropped when the account changes): neither is read again.
	 */
	private @Nullable SignedInUser actingUser(JwtEncodingContext context) {
		if (context.getPrincipal().getPrincipal() instanceof SignedInUser signedIn) {
			if (PASSWORD.equals(context.getAuthorizationGrantType())) {
				return signedIn;
			}
			return accounts.activeUser(signedIn.id()).orElseThrow(AccessTokenClaims::accountInactive);
		}
		if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
			return clients.serviceAccountOf(context.getRegisteredClient().getClientId());
		}
		return null;
	}

	/** RFC 7638: the SHA-256 thumbprint of the proof's public key (Spring has verified the proof with it). */
	private static String thumbprint(Jwt proof) {
		try {
			@SuppressWarnings("unchecked")
			java.util.Map<String, Object> jwk = (java.util.Map<String, Object>) proof.getHeaders().get("jwk");
			return JWK.parse(jwk).computeThumbprint().toString();
		}
		catch (java.text.ParseException | com.nimbusds.jose.JOSEException | ClassCastException
				| NullPointerException ex) {
			throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_DPOP_PROOF,
					"The DPoP proof's jwk is missing or invalid.", null));
		}
	}

	/**
	 * RFC 9449 11.1: the proof's {@code jti}, recorded for every node before the token exists. Spring has just
	 * verified the proof's signature, and DPoPTokenRequestConverter its claims; nothing is saved yet, so a replayed
	 * proof leaves nothing behind.
	 */
	private void recordUse(Jwt proof) {
		try {
			proofs.recordUse(proof.getId(), proof.getIssuedAt());
		}
		catch (DPoPProofs.DPoPProofException ex) {
			throw new OAuth2AuthenticationException(new OAuth2Error(ex.error(), ex.getMessage(),
					DPoPTokenRequestConverter.ERROR_URI));
		}
	}

	/**
	 * RFC 8693: the audiences asked for besides the REST API, the {@code act} claim of a delegation, and an
	 * {@code exp} no later than the subject token's.
	 */
	private void exchanged(JwtEncodingContext context, TokenExchangeGrant exchange) {
		java.util.List<String> audiences = new java.util.ArrayList<>();
		audiences.add(audience);
		audiences.addAll(exchange.audiences());
		context.getClaims().audience(audiences);
		if (exchange.act() != null) {
			context.getClaims().claim("act", exchange.act());
		}
		java.time.Instant expiresAt = context.getClaims().build().getExpiresAt();
		if (expiresAt == null || expiresAt.isAfter(exchange.notAfter())) {
			context.getClaims().expiresAt(exchange.notAfter());
		}
	}

	static OAuth2AuthenticationException accountInactive() {
		return new OAuth2AuthenticationException(
				new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT, "The account is no longer active.", null));
	}

	@Override
	public void customize(JwtEncodingContext context) {
		SignedInUser user = actingUser(context);
		String subject = user != null ? String.valueOf(user.id()) : context.getRegisteredClient().getClientId();
		if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
			context.getJwsHeader().type("at+jwt");
			context.getClaims()
				.subject(subject)
				.audience(java.util.List.of(audience))
				.id(UUID.randomUUID().toString())
				.claim("client_id", context.getRegisteredClient().getClientId())
				.claim("scope", String.join(" ", context.getAuthorizedScopes().stream().sorted().toList()));
			if (context.getAuthorizationGrant() instanceof TokenExchangeGrant exchange) {
				exchanged(context, exchange);
			}
			// RFC 9449 6.1: a token requested with a DPoP proof is bound to the proof's key
			Jwt proof = context.get(OAuth2TokenContext.DPOP_PROOF_KEY);
			if (proof != null) {
				recordUse(proof);
				context.getClaims().claim("cnf", java.util.Map.of("jkt", thumbprint(proof)));
			}
		}
		else if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue()) && user != null) {
			context.getClaims().subject(subject);
			if (context.getAuthorizedScopes().contains("profile")) {
				context.getClaims().claim("name", user.displayName()).claim("preferred_username", user.username());
			}
			if (context.getAuthorizedScopes().contains("email")) {
				accounts.emailOf(user.id()).ifPresent(email -> context.getClaims().claim("email", email));
			}
		}
	}

}
