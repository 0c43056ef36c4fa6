package io.gatehouse.oauth;

import io.gatehouse.clients.AuthClient;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.ClientAuthentication;
import io.gatehouse.clients.ClientCredentials;
import io.gatehouse.clients.GrantType;
import io.gatehouse.cluster.ChangeSignal;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.InvalidatingCache;
import io.gatehouse.cluster.Topics;
import io.gatehouse.signin.AccountLookup;
import io.gatehouse.signin.SignedInUser;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;

/**
 * Serves the auth clients registered in the console to the authorization server. Each client is read once, with its
 * service account, and then served from a per-node cache that the {@code client} signal drops (every edit: a grant
 * disabled, a redirect URL removed, a secret added or revoked, a deletion), as does the {@code account} signal of its
 * service account (deactivated), so that a change applies to the next request on every node. The secrets themselves
 * are checked by {@link ActiveClientSecretsEncoder} through the clients module, which caches them with their
 * expiry. A client with no grant the token endpoint serves (personal access tokens only) is registered all the same:
 * it still authenticates, so that asking for a grant it does not have is answered {@code unauthorized_client}
 * (RFC 6749 5.2), not {@code invalid_client}, and it may introspect and revoke its own tokens.
 */
@Component
class AuthClientRegisteredClientRepository implements RegisteredClientRepository {

	static final AuthorizationGrantType PASSWORD = GrantType.PASSWORD.recordedAs().orElseThrow();

	/**
	 * Stands in for "no grant served here": Spring's {@code RegisteredClient} needs at least one grant type. No
	 * converter reads it, so asking for it is {@code unsupported_grant_type}.
	 */
	static final AuthorizationGrantType NO_TOKEN_ENDPOINT_GRANT = new AuthorizationGrantType(
			"urn:gatehouse:params:oauth:grant-type:none");

	/** Client setting: the client may introspect tokens issued to other clients (a resource server). */
	static final String INTROSPECT_OTHERS = "settings.client.gatehouse.introspect-others";

	/** Client setting: authorization requests only as pushed authorization requests (RFC 9126 5). */
	static final String REQUIRE_PAR = "settings.client.require-pushed-authorization-requests";

	/** Client setting: every token request carries a DPoP proof (RFC 9449 5.2, dpop_bound_access_tokens). */
	static final String REQUIRE_DPOP = "settings.client.gatehouse.require-dpop";

	/** Client setting: OpenID Connect logout through the client revokes the user's tokens for it. */
	static final String REVOKE_ON_LOGOUT = "settings.client.gatehouse.revoke-tokens-on-logout";

	/** How long a device code and its user code last. */
	static final Duration DEVICE_CODE_TTL = Duration.ofMinutes(10);
	/** Client setting: a first-party client, whose users are not asked for consent ({@link FirstPartyConsent}). */
	static final String SKIP_CONSENT = "settings.client.gatehouse.skip-consent";

	/** Client setting: the client ids it may exchange tokens for (RFC 8693 audience), a {@code List<String>}. */
	static final String EXCHANGE_AUDIENCES = "settings.client.gatehouse.token-exchange-audiences";

	/** Client setting: its token-endpoint rate limit ({@link ClientRateLimits}), absent when it has none. */
	static final String RATE_LIMIT = "settings.client.gatehouse.rate-limit";

	private final AuthClientService clients;

	private final AccountLookup accounts;

	private final TokenProperties properties;

	/** By client id; a client not found is not cached (an unknown id is read each time, as before). */
	private final InvalidatingCache<String, CachedClient> cache;

	AuthClientRegisteredClientRepository(AuthClientService clients, AccountLookup accounts,
			TokenProperties properties, ChangeSignals signals) {
		this.clients = clients;
		this.accounts = accounts;
		this.properties = properties;
		this.cache = signals.cache(10_000, Duration.ofMinutes(10));
	}

	/**
	 * A registered client and its service account as they were read together.
	 *
	 * @param serviceAccountId the client's service account, null when it has none
	 * @param serviceAccount that account while it is active, null when it is not (or there is none)
	 */
	record CachedClient(RegisteredClient client, @Nullable Long serviceAccountId,
			@Nullable SignedInUser serviceAccount) {
	}

	@EventListener
	void on(ChangeSignal signal) {
		if (signal.is(Topics.CLIENT)) {
			cache.invalidate(signal.key());
		}
		else if (signal.is(Topics.ACCOUNT)) {
			cache.invalidateIf(cached -> cached.serviceAccountId() != null
					&& signal.key().equals(cached.serviceAccountId().toString()));
		}
	}

	@Override
	public void save(RegisteredClient registeredClient) {
		throw new UnsupportedOperationException("Auth clients are registered through the console or the REST API");
	}

	@Override
	public @Nullable RegisteredClient findById(String id) {
		return findByClientId(id);
	}

	@Override
	public @Nullable RegisteredClient findByClientId(String clientId) {
		CachedClient cached = cached(clientId);
		return cached == null ? null : cached.client();
	}

	/**
	 * The account client credentials act for: the client's service account, or null when it has none. Served from
	 * the same cache entry as the client, so a client credentials request reads nothing once the client is cached.
	 *
	 * @throws OAuth2AuthenticationException ({@code invalid_grant}) when the service account is no longer active
	 */
	@Nullable SignedInUser serviceAccountOf(String clientId) {
		CachedClient cached = cached(clientId);
		if (cached == null || cached.serviceAccountId() == null) {
			return null;
		}
		if (cached.serviceAccount() == null) {
			throw AccessTokenClaims.accountInactive();
		}
		return cached.serviceAccount();
	}

	private @Nullable CachedClient cached(String clientId) {
		if (clientId.length() > 64) {
			return null;
		}
		return cache.get(clientId, id -> clients.credentialsOf(id).map(credentials -> {
			Long serviceAccountId = credentials.client().serviceAccountId();
			SignedInUser serviceAccount = serviceAccountId == null ? null
					: accounts.activeUser(serviceAccountId).orElse(null);
			return new CachedClient(toRegisteredClient(credentials), serviceAccountId, serviceAccount);
		}).orElse(null));
	}

	private static Duration orDefault(@Nullable Duration perClient, Duration server) {
		return perClient == null ? server : perClient;
	}

	private RegisteredClient toRegisteredClient(ClientCredentials credentials) {
		AuthClient client = credentials.client();
		RegisteredClient.Builder builder = RegisteredClient.withId(client.id())
			.clientId(client.id())
			.clientName(client.name())
			.clientIdIssuedAt(client.createdAt())
			// RFC 6749 3.3: a request for any scope outside these is invalid_scope
			.scopes(scopes -> scopes.addAll(client.policy().allowedScopes()));
		ClientAuthentication authentication = client.authentication();
		if (client.publicClient()) {
			// RFC 6749 2.1: a public client cannot keep a secret; it proves itself with PKCE instead
			builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
		}
		else if (authentication.usesKeys()) {
			// RFC 7523 2.2: a signed assertion, checked by ClientAssertionDecoderFactory; a secret is refused
			builder.clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
		}
		else {
			// stands for the client's secrets, which ActiveClientSecretsEncoder checks; never a secret or a hash
			builder.clientSecret(client.id())
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST);
		}
		Set<AuthorizationGrantType> served = new LinkedHashSet<>();
		for (GrantType grant : client.orderedGrants()) {
			// client credentials act as the service account; a client has one from the moment it has the grant
			if (grant != GrantType.CLIENT_CREDENTIALS || client.serviceAccountId() != null) {
				served.addAll(grant.tokenEndpointGrants());
			}
		}
		served.forEach(builder::authorizationGrantType);
		if (client.allows(GrantType.AUTHORIZATION_CODE)) {
			builder.redirectUris(uris -> uris.addAll(client.redirectUris()))
				.postLogoutRedirectUris(uris -> uris.addAll(client.postLogoutRedirectUris()));
		}
		if (served.isEmpty()) {
			builder.authorizationGrantType(NO_TOKEN_ENDPOINT_GRANT);
		}
		ClientSettings.Builder settings = ClientSettings.builder()
			.requireProofKey(client.publicClient())
			.requireAuthorizationConsent(true)
			.setting(SKIP_CONSENT, client.policy().skipConsent())
			.setting(INTROSPECT_OTHERS, client.introspectOthers())
			.setting(REQUIRE_PAR, client.requirePar())
			.setting(REVOKE_ON_LOGOUT, client.revokeTokensOnLogout())
			.setting(REQUIRE_DPOP, client.requireDpop())
			.setting(EXCHANGE_AUDIENCES, client.policy().exchangeAudiences());
		if (client.policy().rateLimit() != null) {
			settings.setting(RATE_LIMIT, client.policy().rateLimit());
		}
		if (authentication.usesKeys()) {
			// Spring names the authentication private_key_jwt (not client_secret_jwt) when this is a signature
			// algorithm; the assertion itself may use any of ClientAssertionDecoderFactory.ALGORITHMS
			settings.tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS256);
			if (authentication.jwksUri() != null) {
				settings.jwkSetUrl(authentication.jwksUri());
			}
			if (authentication.jwks() != null) {
				settings.setting(ClientAssertionDecoderFactory.JWKS, authentication.jwks());
			}
		}
		return builder
			// PKCE (S256 only) is accepted from every client and required from public ones
			.clientSettings(settings.build())
			.tokenSettings(TokenSettings.builder()
				.accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
				.accessTokenTimeToLive(orDefault(client.policy().accessTokenLifetime(), properties.accessTokenTtl()))
				.refreshTokenTimeToLive(orDefault(client.policy().refreshTokenLifetime(), properties.refreshTokenTtl()))
				.authorizationCodeTimeToLive(properties.authorizationCodeTtl())
				// RFC 8628 3.2: the user has this long to enter the code; the device polls until then
				.deviceCodeTimeToLive(DEVICE_CODE_TTL)
				// rotate on every use; a rotated token presented again revokes the grant (JdbcTokenStore)
				.reuseRefreshTokens(false)
				.idTokenSignatureAlgorithm(SignatureAlgorithm.RS256)
				.build())
			.build();
	}

}
