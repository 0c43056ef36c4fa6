package io.gatehouse.oauth;

import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.gatehouse.oauth.VerifiedAccessTokens.VerifiedAccessToken;
import io.gatehouse.signin.AccountLookup;
import io.gatehouse.signin.SignedInUser;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * The token exchange grant (RFC 8693) on Gatehouse's rules, in place of Spring's provider: client allowed? -> subject
 * token (an access token of this server, live, issued to or for this client) -> actor token (delegation) -> scope (at
 * most the subject token's) -> audience and resource (the client's exchange audiences) -> an access token that never
 * outlives the subject token -> a grant that hangs off the subject token's grant, so revoking that grant revokes it.
 * Spring's provider would take any access token it finds, keep the client's lifetime and store an unrelated grant.
 */
final class TokenExchangeAuthenticationProvider implements AuthenticationProvider {

	private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc8693#section-2.2.2";

	/** RFC 8707 / RFC 8693 2.2.2: an audience or resource the server will not issue a token for. */
	static final String INVALID_TARGET = "invalid_target";

	private final VerifiedAccessTokens accessTokens;

	private final JdbcAuthorizationRepository grants;

	private final AccountLookup accounts;

	private final OAuth2AuthorizationService authorizations;

	private final OAuth2TokenGenerator<? extends OAuth2Token> tokens;

	private final OAuthAudit audit;

	TokenExchangeAuthenticationProvider(VerifiedAccessTokens accessTokens, JdbcAuthorizationRepository grants,
			AccountLookup accounts, OAuth2AuthorizationService authorizations,
			OAuth2TokenGenerator<? extends OAuth2Token> tokens, OAuthAudit audit) {
		this.accessTokens = accessTokens;
		this.grants = grants;
		this.accounts = accounts;
		this.authorizations = authorizations;
		this.tokens = tokens;
		this.audit = audit;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		OAuth2TokenExchangeAuthenticationToken request = (OAuth2TokenExchangeAuthenticationToken) authentication;
		OAuth2ClientAuthenticationToken client = request.getPrincipal() instanceof OAuth2ClientAuthenticationToken token
				&& token.isAuthenticated() ? token : null;
		if (client == null || client.getRegisteredClient() == null) {
			throw error(OAuth2ErrorCodes.INVALID_CLIENT, "The client is not authenticated.");
		}
		RegisteredClient registeredClient = client.getRegisteredClient();
		String clientId = registeredClient.getClientId();
		if (!registeredClient.getAuthorizationGrantTypes().contains(AuthorizationGrantType.TOKEN_EXCHANGE)) {
			throw error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, "The client may not use the token exchange grant.");
		}

		// subject_token: an access token of this server, verified and live, issued to this client or addressed to it
		VerifiedAccessToken subject = accessTokens.verifyOrNull(request.getSubjectToken());
		if (subject == null) {
			throw error(OAuth2ErrorCodes.INVALID_GRANT, "The subject_token is not an active access token.");
		}
		if (!clientId.equals(subject.clientId()) && !audiences(subject).contains(clientId)) {
			throw error(OAuth2ErrorCodes.INVALID_GRANT,
					"The subject_token was issued neither to this client nor for it.");
		}
		SignedInUser user = user(subject.subject());

		// actor_token (delegation): this client's own live access token
		Map<String, Object> act = subject.claims().get("act") instanceof Map<?, ?> prior ? copy(prior) : null;
		String actor = null;
		if (request.getActorToken() != null) {
			VerifiedAccessToken actorToken = accessTokens.verifyOrNull(request.getActorToken());
			if (actorToken == null) {
				throw error(OAuth2ErrorCodes.INVALID_GRANT, "The actor_token is not an active access token.");
			}
			if (!clientId.equals(actorToken.clientId())) {
				throw error(OAuth2ErrorCodes.INVALID_GRANT, "The actor_token must be issued to this client.");
			}
			// RFC 8693 4.1: the current actor; a prior delegation nests inside it
			Map<String, Object> current = new LinkedHashMap<>();
			current.put("sub", actorToken.subject());
			current.put("client_id", clientId);
			if (act != null) {
				current.put("act", act);
			}
			act = current;
			actor = actorToken.subject();
		}

		// scope (OPTIONAL): at most the subject token's, and only what the client may ask for
		Set<String> subjectScopes = subject.scope().isBlank() ? Set.of() : Set.of(subject.scope().split(" "));
		Set<String> scopes;
		if (!request.getScopes().isEmpty()) {
			if (!subjectScopes.containsAll(request.getScopes())) {
				throw error(OAuth2ErrorCodes.INVALID_SCOPE, "The scope may not exceed the subject_token's scope.");
			}
			if (!registeredClient.getScopes().containsAll(request.getScopes())) {
				throw error(OAuth2ErrorCodes.INVALID_SCOPE, "The client may not ask for this scope.");
			}
			scopes = new LinkedHashSet<>(request.getScopes());
		}
		else {
			scopes = new LinkedHashSet<>(subjectScopes);
			scopes.retainAll(registeredClient.getScopes());
			if (scopes.isEmpty()) {
				throw error(OAuth2ErrorCodes.INVALID_SCOPE,
						"The client may ask for none of the subject_token's scopes.");
			}
		}

		// audience, resource (OPTIONAL): the REST API, the client itself, or one of its exchange audiences
		List<String> allowed = registeredClient.getClientSettings()
			.getSetting(AuthClientRegisteredClientRepository.EXCHANGE_AUDIENCES);
		List<String> extraAudiences = new ArrayList<>();
		Set<String> targets = new LinkedHashSet<>(request.getAudiences());
		targets.addAll(request.getResources());
		for (String target : targets) {
			if (AuthorizationServerConfiguration.API_AUDIENCE.equals(target)) {
				continue;
			}
			if (!target.equals(clientId) && (allowed == null || !allowed.contains(target))) {
				throw error(INVALID_TARGET, "The client may not exchange tokens for this audience.");
			}
			extraAudiences.add(target);
		}

		Jwt proof = dpopProof(request);
		Authentication principal = UsernamePasswordAuthenticationToken.authenticated(user, null,
				accounts.authoritiesOf(user));
		TokenExchangeGrant decided = new TokenExchangeGrant(client, extraAudiences, act, subject.expiresAt());
		DefaultOAuth2TokenContext.Builder context = DefaultOAuth2TokenContext.builder()
			.registeredClient(registeredClient)
			.principal(principal)
			.authorizationServerContext(AuthorizationServerContextHolder.getContext())
			.authorizedScopes(scopes)
			.tokenType(OAuth2TokenType.ACCESS_TOKEN)
			.authorizationGrantType(AuthorizationGrantType.TOKEN_EXCHANGE)
			.authorizationGrant(decided);
		if (proof != null) {
			context.put(OAuth2TokenContext.DPOP_PROOF_KEY, proof);
		}
		OAuth2Token generated = tokens.generate(context.build());
		if (generated == null) {
			throw error(OAuth2ErrorCodes.SERVER_ERROR, "The access token could not be generated.");
		}
		OAuth2AccessToken accessToken = new OAuth2AccessToken(
				proof != null ? OAuth2AccessToken.TokenType.DPOP : OAuth2AccessToken.TokenType.BEARER,
				generated.getTokenValue(), generated.getIssuedAt(), generated.getExpiresAt(), scopes);
		// the grant hangs off the subject token's grant (or the one that grant hangs off): revoked with it
		String parent = grants.findParent(subject.authorizationId()).orElse(subject.authorizationId());
		OAuth2Authorization.Builder authorization = OAuth2Authorization.withRegisteredClient(registeredClient)
			.principalName(user.username())
			.authorizationGrantType(AuthorizationGrantType.TOKEN_EXCHANGE)
			.authorizedScopes(scopes)
			.attribute(Principal.class.getName(), principal)
			.attribute(JdbcTokenStore.PARENT_GRANT, parent);
		if (generated instanceof ClaimAccessor claims) {
			authorization.token(accessToken,
					metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, claims.getClaims()));
		}
		else {
			authorization.accessToken(accessToken);
		}
		authorizations.save(authorization.build());
		List<String> audiences = new ArrayList<>();
		audiences.add(AuthorizationServerConfiguration.API_AUDIENCE);
		audiences.addAll(extraAudiences);
		audit.tokenExchanged(clientId, registeredClient.getClientName(), user.username(), audiences,
				String.join(" ", scopes.stream().sorted().toList()), actor);
		// RFC 8693 2.2.1: issued_token_type; no refresh token
		return new OAuth2AccessTokenAuthenticationToken(registeredClient, client, accessToken, null,
				Map.of(OAuth2ParameterNames.ISSUED_TOKEN_TYPE, TokenExchangeAuthenticationConverter.ACCESS_TOKEN_TYPE));
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return OAuth2TokenExchangeAuthenticationToken.class.isAssignableFrom(authentication);
	}

	/** The subject's account, still active; a token of anything else is not exchanged. */
	private SignedInUser user(@Nullable String subject) {
		long id;
		try {
			id = subject == null ? -1 : Long.parseLong(subject);
		}
		catch (NumberFormatException ex) {
			id = -1;
		}
		return (id < 0 ? java.util.Optional.<SignedInUser>empty() : accounts.activeUser(id))
			.orElseThrow(() -> error(OAuth2ErrorCodes.INVALID_GRANT, "The subject_token's account is not active."));
	}

	private static List<String> audiences(VerifiedAccessToken token) {
		Object aud = token.claims().get("aud");
		if (aud instanceof java.util.Collection<?> values) {
			return values.stream().map(String::valueOf).toList();
		}
		return aud == null ? List.of() : List.of(aud.toString());
	}

	private static Map<String, Object> copy(Map<?, ?> claim) {
		Map<String, Object> copy = new LinkedHashMap<>();
		claim.forEach((name, value) -> copy.put(String.valueOf(name),
				value instanceof Map<?, ?> nested ? copy(nested) : value));
		return copy;
	}

	/**
	 * The DPoP proof of the request: its claims were checked by {@link DPoPTokenRequestConverter} ({@code htm},
	 * {@code htu}, age, nonce); no Spring provider runs for this grant, so its signature is verified here, once. The
	 * token customizer then records its {@code jti} for every node and binds the token to its key.
	 */
	private static @Nullable Jwt dpopProof(OAuth2TokenExchangeAuthenticationToken request) {
		if (!(request.getAdditionalParameters().get(TokenExchangeAuthenticationConverter.DPOP_PROOF) instanceof String
				value)) {
			return null;
		}
		try {
			return DPoPProofs.verifiedSignature(value);
		}
		catch (DPoPProofs.DPoPProofException ex) {
			throw error(ex.error(), ex.getMessage());
		}
	}

	private static OAuth2AuthenticationException error(String code, String description) {
		return new OAuth2AuthenticationException(new OAuth2Error(code, description, ERROR_URI));
	}

}
