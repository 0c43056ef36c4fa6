package io.gatehouse.oauth;

import java.security.Principal;
import java.util.Set;

import io.gatehouse.signin.AccountLookup;
import io.gatehouse.signin.PasswordSignIn;
import io.gatehouse.signin.SignedInUser;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * The password grant (RFC 6749 4.3), which Spring's authorization server leaves out: client allowed? -> scope ->
 * throttle -> user credentials -> access and refresh token -> save the grant. Wrong credentials and a throttled
 * username answer alike, {@code invalid_grant}, without saying which part was wrong.
 */
final class PasswordGrantAuthenticationProvider implements AuthenticationProvider {

	private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc6749#section-5.2";

	/** The password grant serves legacy API clients: the REST API is all it may ask for. */
	private static final Set<String> ALLOWED_SCOPES = Set.of(Scopes.API);

	private final AccountLookup accounts;

	private final PasswordSignIn signIns;

	private final OAuth2AuthorizationService authorizations;

	private final OAuth2TokenGenerator<? extends OAuth2Token> tokens;

	PasswordGrantAuthenticationProvider(AccountLookup accounts, PasswordSignIn signIns,
			OAuth2AuthorizationService authorizations, OAuth2TokenGenerator<? extends OAuth2Token> tokens) {
		this.accounts = accounts;
		this.signIns = signIns;
		this.authorizations = authorizations;
		this.tokens = tokens;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		PasswordGrantAuthenticationToken request = (PasswordGrantAuthenticationToken) authentication;
		OAuth2ClientAuthenticationToken client = request.getPrincipal() instanceof OAuth2ClientAuthenticationToken token
				&& token.isAuthenticated() ? token : null;
		if (client == null || client.getRegisteredClient() == null) {
			throw error(OAuth2ErrorCodes.INVALID_CLIENT, null);
		}
		RegisteredClient registeredClient = client.getRegisteredClient();
		if (!registeredClient.getAuthorizationGrantTypes().contains(AuthClientRegisteredClientRepository.PASSWORD)) {
			throw error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, "The client may not use the password grant.");
		}
		// scope (OPTIONAL): defaults to the API
		Set<String> scopes = request.scopes().isEmpty() ? ALLOWED_SCOPES : request.scopes();
		if (!ALLOWED_SCOPES.containsAll(scopes)) {
			throw error(OAuth2ErrorCodes.INVALID_SCOPE, "The password grant may ask only for: " + Scopes.API);
		}
		if (!registeredClient.getScopes().containsAll(scopes)) {
			throw error(OAuth2ErrorCodes.INVALID_SCOPE, "The client may not ask for: " + String.join(" ", scopes));
		}
		// throttle -> user credentials, audited either way
		SignedInUser user = signIns.attempt(request.username(), request.password(), registeredClient.getClientId())
			.orElse(null);
		if (user == null) {
			throw invalidGrant();
		}
		Authentication principal = UsernamePasswordAuthenticationToken.authenticated(user, null,
				accounts.authoritiesOf(user));

		DefaultOAuth2TokenContext.Builder context = DefaultOAuth2TokenContext.builder()
			.registeredClient(registeredClient)
			.principal(principal)
			.authorizationServerContext(AuthorizationServerContextHolder.getContext())
			.authorizedScopes(scopes)
			.authorizationGrantType(AuthClientRegisteredClientRepository.PASSWORD)
			.authorizationGrant(request);
		OAuth2Authorization.Builder authorization = OAuth2Authorization.withRegisteredClient(registeredClient)
			.principalName(user.username())
			.authorizationGrantType(AuthClientRegisteredClientRepository.PASSWORD)
			.authorizedScopes(scopes)
			.attribute(Principal.class.getName(), principal);

		OAuth2Token generated = generate(context.tokenType(OAuth2TokenType.ACCESS_TOKEN).build(), "access");
		OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
				generated.getTokenValue(), generated.getIssuedAt(), generated.getExpiresAt(), scopes);
		if (generated instanceof ClaimAccessor claims) {
			authorization.token(accessToken,
					metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, claims.getClaims()));
		}
		else {
			authorization.accessToken(accessToken);
		}
		OAuth2RefreshToken refreshToken = null;
		if (registeredClient.getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN)) {
			OAuth2Token refresh = generate(context.tokenType(OAuth2TokenType.REFRESH_TOKEN).build(), "refresh");
			refreshToken = (OAuth2RefreshToken) refresh;
			authorization.refreshToken(refreshToken);
		}
		authorizations.save(authorization.build());
		return new OAuth2AccessTokenAuthenticationToken(registeredClient, client, accessToken, refreshToken);
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return PasswordGrantAuthenticationToken.class.isAssignableFrom(authentication);
	}

	private OAuth2Token generate(OAuth2TokenContext context, String what) {
		OAuth2Token token = tokens.generate(context);
		if (token == null) {
			throw error(OAuth2ErrorCodes.SERVER_ERROR, "The " + what + " token could not be generated.");
		}
		return token;
	}

	private static OAuth2AuthenticationException invalidGrant() {
		return error(OAuth2ErrorCodes.INVALID_GRANT, "The username or password is not valid.");
	}

	private static OAuth2AuthenticationException error(String code, String description) {
		return new OAuth2AuthenticationException(new OAuth2Error(code, description, ERROR_URI));
	}

}
