package io.gatehouse.oauth;

import io.gatehouse.clients.AuthClient;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.ClientCredentials;
import io.gatehouse.clients.GrantType;

import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;

/**
 * Serves the auth clients registered in the console to the authorization server, read on each use so that an edit
 * (a grant disabled, a redirect URL removed, a secret regenerated, a deletion) applies to the next request. A client
 * with no grant the token endpoint serves (personal access tokens only) is registered all the same: it still
 * authenticates, so that asking for a grant it does not have is answered {@code unauthorized_client}
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

	private final AuthClientService clients;

	private final TokenProperties properties;

	AuthClientRegisteredClientRepository(AuthClientService clients, TokenProperties properties) {
		this.clients = clients;
		this.properties = properties;
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
		if (clientId.length() > 64) {
			return null;
		}
		return clients.credentialsOf(clientId).map(this::toRegisteredClient).orElse(null);
	}

	private RegisteredClient toRegisteredClient(ClientCredentials credentials) {
		AuthClient client = credentials.client();
		RegisteredClient.Builder builder = RegisteredClient.withId(client.id())
			.clientId(client.id())
			.clientName(client.name())
			.clientIdIssuedAt(client.createdAt())
			.scopes(scopes -> scopes.addAll(Scopes.ALL));
		if (client.publicClient()) {
			// RFC 6749 2.1: a public client cannot keep a secret; it proves itself with PKCE instead
			builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
		}
		else {
			builder.clientSecret(credentials.secretHash())
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
			builder.redirectUris(uris -> uris.addAll(client.redirectUris()));
		}
		if (served.isEmpty()) {
			builder.authorizationGrantType(NO_TOKEN_ENDPOINT_GRANT);
		}
		return builder
			// PKCE (S256 only) is accepted from every client and required from public ones
			.clientSettings(ClientSettings.builder()
				.requireProofKey(client.publicClient())
				.requireAuthorizationConsent(true)
				.setting(INTROSPECT_OTHERS, client.introspectOthers())
				.build())
			.tokenSettings(TokenSettings.builder()
				.accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
				.accessTokenTimeToLive(properties.accessTokenTtl())
				.refreshTokenTimeToLive(properties.refreshTokenTtl())
				.authorizationCodeTimeToLive(properties.authorizationCodeTtl())
				// rotate on every use; a rotated token presented again revokes the grant (JdbcTokenStore)
				.reuseRefreshTokens(false)
				.idTokenSignatureAlgorithm(SignatureAlgorithm.RS256)
				.build())
			.build();
	}

}
