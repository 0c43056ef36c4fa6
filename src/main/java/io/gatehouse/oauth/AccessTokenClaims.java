package io.gatehouse.oauth;

import java.util.UUID;

import io.gatehouse.clients.AuthClientService;
import io.gatehouse.signin.AccountLookup;
import io.gatehouse.signin.SignedInUser;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Shapes the JWTs this server signs. Access tokens follow RFC 9068: header {@code typ: at+jwt}; claims {@code iss},
 * {@code sub} (the account id, stable across username changes), {@code aud}, {@code client_id}, {@code scope} (a
 * space-separated string), {@code jti}, {@code iat}, {@code exp}. ID tokens carry the profile and email claims the
 * granted scopes allow. Refuses to issue anything for an account that is no longer active (for example on refresh).
 */
final class AccessTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

	private final AccountLookup accounts;

	private final AuthClientService clients;

	private final String audience;

	AccessTokenClaims(AccountLookup accounts, AuthClientService clients, String audience) {
		this.accounts = accounts;
		this.clients = clients;
		this.audience = audience;
	}

	/**
	 * The account the token acts for: the signed-in user, or for client credentials the client's service account.
	 * Refuses (invalid_grant) when that account is no longer active, for example when a refresh comes after the
	 * user was deactivated.
	 */
	private @Nullable SignedInUser actingUser(JwtEncodingContext context) {
		Long accountId = null;
		if (context.getPrincipal().getPrincipal() instanceof SignedInUser signedIn) {
			accountId = signedIn.id();
		}
		else if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
			accountId = clients.get(context.getRegisteredClient().getClientId()).serviceAccountId();
		}
		if (accountId == null) {
			return null;
		}
		return accounts.activeUser(accountId).orElseThrow(() -> new OAuth2AuthenticationException(
				new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT, "The account is no longer active.", null)));
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
