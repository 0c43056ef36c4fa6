package io.gatehouse.oauth;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.Topics;
import io.gatehouse.oauth.AuthorizationJson.WrittenAttributes;
import io.gatehouse.oauth.JdbcAuthorizationRepository.AuthorizationRow;
import io.gatehouse.oauth.JdbcAuthorizationRepository.StoredToken;
import io.gatehouse.oauth.JdbcAuthorizationRepository.TokenRow;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionAspectSupport;
import org.springframework.util.StringUtils;

/**
 * The authorization server's token store: Spring's grants ({@link OAuth2Authorization}) saved to and loaded from
 * {@link JdbcAuthorizationRepository}'s indexed tables, a row per grant and a row per token, each token keyed by the
 * SHA-256 of its value, with {@link AuthorizationJson} for what is not a column. Every lookup is a primary-key or
 * index hit; nothing is scanned and no blob is deserialized to find a token. Also where reuse is detected: a rotated
 * refresh token presented again revokes its whole grant, and so does a single-use token used by two requests.
 */
@Component
@Transactional
class JdbcTokenStore implements OAuth2AuthorizationService {

	// the token_type column (see V14): OAuth2TokenType values as the authorization server looks tokens up
	static final String CODE = OAuth2ParameterNames.CODE;

	static final String ACCESS = "access_token";

	static final String REFRESH = "refresh_token";

	static final String ID_TOKEN = OidcParameterNames.ID_TOKEN;

	static final String STATE = OAuth2ParameterNames.STATE;

	private static final java.time.Duration STATE_LIFETIME = java.time.Duration.ofHours(1);

	/**
	 * Set on a grant loaded through one of its refresh tokens: that token's hash. Spring's refresh grant copies the
	 * grant's attributes into the one it saves, so {@link #save} knows which refresh token the new one replaces.
	 */
	static final String PRESENTED_REFRESH_TOKEN = JdbcTokenStore.class.getName() + ".presentedRefreshToken";

	/** Likewise for a grant loaded through its authorization code while the code was unused: the code's hash. */
	static final String PRESENTED_CODE = JdbcTokenStore.class.getName() + ".presentedCode";

	private final JdbcAuthorizationRepository repository;

	private final AuthorizationJson json;

	private final RegisteredClientRepository clients;

	private final ChangeSignals signals;

	JdbcTokenStore(JdbcAuthorizationRepository repository, AuthorizationJson json, RegisteredClientRepository clients,
			ChangeSignals signals) {
		this.signals = signals;
		this.repository = repository;
		this.json = json;
		this.clients = clients;
	}

	/**
	 * Stores the grant and its tokens. When it uses up the single-use token it was loaded with (replaces the refresh
	 * token in a refresh, marks the code used in a code exchange), that token is claimed first; if another request
	 * claimed it already, this one is a reuse: the whole grant is revoked, nothing of this request is stored, and it
	 * fails with {@code invalid_grant}.
	 */
	@Override
	@Transactional(noRollbackFor = OAuth2AuthenticationException.class)
	public void save(OAuth2Authorization authorization) {
		String presentedRefresh = authorization.getAttribute(PRESENTED_REFRESH_TOKEN);
		OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
		if (presentedRefresh != null && refresh != null
				&& !presentedRefresh.equals(TokenHashes.of(refresh.getToken().getTokenValue()))) {
			claim(authorization.getId(), REFRESH, presentedRefresh);
		}
		String presentedCode = authorization.getAttribute(PRESENTED_CODE);
		OAuth2Authorization.Token<OAuth2AuthorizationCode> code = authorization.getToken(OAuth2AuthorizationCode.class);
		if (presentedCode != null && code != null && code.isInvalidated()
				&& presentedCode.equals(TokenHashes.of(code.getToken().getTokenValue()))) {
			claim(authorization.getId(), CODE, presentedCode);
		}
		Map<String, Object> attributes = new LinkedHashMap<>(authorization.getAttributes());
		attributes.keySet().removeAll(Set.of(PRESENTED_REFRESH_TOKEN, PRESENTED_CODE));
		// the state is looked up like a token (the consent page answers with it), so it is stored as one
		String state = attributes.get(STATE) instanceof String text ? text : null;
		if (state != null) {
			attributes.remove(STATE);
		}
		WrittenAttributes written = json.writeAttributes(attributes);
		repository.upsertAuthorization(new AuthorizationRow(authorization.getId(),
				authorization.getRegisteredClientId(), authorization.getPrincipalName(),
				authorization.getAuthorizationGrantType().getValue(),
				String.join(" ", authorization.getAuthorizedScopes().stream().sorted().toList()), written.json()),
				written.accountId());
		if (state != null) {
			// the consent page must be answered within the hour; the row is then cleaned up with expired tokens
			Instant now = Instant.now();
			repository.upsertToken(authorization.getId(),
					new StoredToken(TokenHashes.of(state), STATE, now, now.plus(STATE_LIFETIME), false, false, "{}",
							null));
		}
		token(authorization, OAuth2AuthorizationCode.class)
			.ifPresent(token -> upsert(authorization, CODE, token, codeRedirectUri(authorization)));
		token(authorization, OAuth2AccessToken.class).ifPresent(token -> upsert(authorization, ACCESS, token, null));
		token(authorization, OidcIdToken.class).ifPresent(token -> upsert(authorization, ID_TOKEN, token, null));
		token(authorization, OAuth2RefreshToken.class).ifPresent(token -> {
			boolean isNew = upsert(authorization, REFRESH, token, null);
			if (isNew) {
				repository.supersedeOtherRefreshTokens(authorization.getId(),
						TokenHashes.of(token.getToken().getTokenValue()));
			}
		});
	}

	/**
	 * A refresh token rotates exactly once (RFC 9700 4.14.2) and a code is exchanged once (RFC 6749 4.1.2). Of
	 * concurrent requests that presented the same token, the first to get here takes the grant's row lock and marks
	 * the token used; the others wait for the lock and then find nothing left to claim. Such a request is
	 * indistinguishable from an attacker racing the client with a stolen copy, so, as for any reuse, the whole grant
	 * is revoked (the tokens the first request got too).
	 */
	private void claim(String authorizationId, String type, String presentedHash) {
		int claimed;
		try {
			claimed = repository.claim(authorizationId, type, presentedHash);
		}
		catch (PessimisticLockingFailureException ex) {
			// gave up waiting for the request that holds the grant (H2's lock timeout, a deadlock): that one is using
			// the token; this transaction may be unusable, so it ends without writing anything
			TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
			throw usedByAnotherRequest(type);
		}
		if (claimed == 0) {
			revokeGrant(authorizationId);
			throw usedByAnotherRequest(type);
		}
	}

	private static OAuth2AuthenticationException usedByAnotherRequest(String type) {
		return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
				(type.equals(CODE) ? "The authorization code" : "The refresh token") + " was used by another request.",
				null));
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
		repository.delete(authorization.getId());
	}

	@Override
	@Transactional(readOnly = true)
	public @Nullable OAuth2Authorization findById(String id) {
		return load(id, null, null, null);
	}

	@Override
	public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
		String hash = TokenHashes.of(token);
		Optional<TokenRow> row = repository.findToken(hash);
		if (row.isEmpty() || (tokenType != null && !tokenType.getValue().equals(row.get().type()))) {
			return null;
		}
		if (row.get().superseded()) {
			// RFC 9700 4.14.2: a rotated refresh token came back, so someone holds a stolen copy; end the whole grant
			revokeGrant(row.get().authorizationId());
			return null;
		}
		return load(row.get().authorizationId(), row.get().type(), hash, token);
	}

	/** Whether the access token with this value is one this server issued and still honours (not revoked). */
	@Transactional(readOnly = true)
	boolean isAccessTokenLive(String tokenValue) {
		return repository.isAccessTokenLive(TokenHashes.of(tokenValue));
	}

	private @Nullable OAuth2Authorization load(String id, @Nullable String matchedType, @Nullable String matchedHash,
			@Nullable String matchedValue) {
		Optional<AuthorizationRow> found = repository.findAuthorization(id);
		if (found.isEmpty()) {
			return null;
		}
		AuthorizationRow authorization = found.get();
		RegisteredClient client = clients.findById(authorization.clientId());
		if (client == null) {
			return null;
		}
		OAuth2Authorization.Builder builder = OAuth2Authorization.withRegisteredClient(client)
			.id(authorization.id())
			.principalName(authorization.principalName())
			.authorizationGrantType(new AuthorizationGrantType(authorization.grantType()))
			.authorizedScopes(authorization.scopes().isEmpty() ? Set.of()
					: Set.of(authorization.scopes().split(" ")));
		json.readAttributes(authorization.attributes(), builder);
		List<StoredToken> tokens = repository.findTokens(id);
		Map<String, StoredToken> current = new HashMap<>();
		for (StoredToken token : tokens) {
			if (!token.superseded()) {
				current.put(token.type(), token);
			}
		}
		if (matchedType != null) {
			tokens.stream().filter(token -> token.hash().equals(matchedHash)).findFirst()
				.ifPresent(token -> current.put(matchedType, token));
		}
		if (REFRESH.equals(matchedType) && matchedHash != null) {
			builder.attribute(PRESENTED_REFRESH_TOKEN, matchedHash);
		}
		if (CODE.equals(matchedType) && matchedHash != null && tokens.stream()
			.anyMatch(token -> token.hash().equals(matchedHash) && !token.invalidated())) {
			builder.attribute(PRESENTED_CODE, matchedHash);
		}
		current.forEach((type, token) -> {
			String value = token.hash().equals(matchedHash) ? matchedValue : TokenHashes.placeholder(token.hash());
			if (type.equals(STATE)) {
				builder.attribute(STATE, value);
			}
			else {
				json.addToken(builder, type, token, value);
			}
		});
		return builder.build();
	}

	private void revokeGrant(String authorizationId) {
		repository.revokeAuthorization(authorizationId);
		signals.publish(Topics.GRANT, authorizationId);
	}

	/**
	 * Inserts the token's row, or updates its state; true when the row is new. An access or refresh token saved as
	 * invalidated was revoked (the revocation endpoint, a code used twice): nodes that cache it are told.
	 */
	private boolean upsert(OAuth2Authorization authorization, String type, OAuth2Authorization.Token<?> token,
			@Nullable String redirectUri) {
		OAuth2Token value = token.getToken();
		if (token.isInvalidated() && (type.equals(ACCESS) || type.equals(REFRESH))) {
			signals.publish(Topics.GRANT, authorization.getId());
		}
		return repository.upsertToken(authorization.getId(), new StoredToken(TokenHashes.of(value.getTokenValue()),
				type, value.getIssuedAt() == null ? Instant.now() : value.getIssuedAt(), value.getExpiresAt(),
				token.isInvalidated(), false, json.writeMetadata(token), redirectUri));
	}

	/**
	 * The redirect URI a code is issued for: the one its authorization request named or, when it named none, the
	 * client's only registered one (RFC 6749 3.1.2.3: without one registered URI the request must name it).
	 */
	private @Nullable String codeRedirectUri(OAuth2Authorization authorization) {
		OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
		if (request == null) {
			return null;
		}
		if (StringUtils.hasText(request.getRedirectUri())) {
			return request.getRedirectUri();
		}
		RegisteredClient client = clients.findById(authorization.getRegisteredClientId());
		return client != null && client.getRedirectUris().size() == 1 ? client.getRedirectUris().iterator().next()
				: null;
	}

	private static <T extends OAuth2Token> Optional<OAuth2Authorization.Token<T>> token(
			OAuth2Authorization authorization, Class<T> type) {
		return Optional.ofNullable(authorization.getToken(type));
	}

}
