package io.gatehouse.tokens;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.gatehouse.accounts.SignedInUser;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;
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
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionAspectSupport;

/**
 * The authorization server's token store, on indexed tables (see V2): a row per grant and a row per token, each token
 * keyed by the SHA-256 of its value. Every lookup is a primary-key or index hit; nothing is scanned and no blob is
 * deserialized to find a token. Also where refresh-token reuse is detected: a rotated refresh token presented again
 * revokes its whole grant.
 */
@Component
@Transactional
class JdbcTokenStore implements OAuth2AuthorizationService {

	// the token_type column: OAuth2TokenType values as the authorization server looks tokens up
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

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private static final Set<String> TIME_CLAIMS = Set.of("iat", "exp", "nbf", "auth_time", "updated_at");

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final RegisteredClientRepository clients;

	JdbcTokenStore(JdbcClient jdbc, JsonMapper json, RegisteredClientRepository clients) {
		this.jdbc = jdbc;
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
		Map<String, Object> attributes = new LinkedHashMap<>();
		String state = null;
		Long accountId = null;
		for (Map.Entry<String, Object> attribute : authorization.getAttributes().entrySet()) {
			Object value = attribute.getValue();
			if (attribute.getKey().equals(PRESENTED_REFRESH_TOKEN) || attribute.getKey().equals(PRESENTED_CODE)) {
				continue;
			}
			if (attribute.getKey().equals(STATE) && value instanceof String text) {
				state = text;
			}
			else if (value instanceof Authentication principal) {
				Map<String, Object> written = writePrincipal(principal);
				attributes.put(attribute.getKey(), written);
				accountId = written.get("id") instanceof Number id ? id.longValue() : null;
			}
			else if (value instanceof OAuth2AuthorizationRequest request) {
				attributes.put(attribute.getKey(), writeRequest(request));
			}
			else if (value instanceof String || value instanceof Number || value instanceof Boolean
					|| value instanceof java.util.Collection<?>) {
				attributes.put(attribute.getKey(), value);
			}
		}
		upsertAuthorization(authorization, accountId, attributes);
		if (state != null) {
			// the consent page must be answered within the hour; the row is then cleaned up with expired tokens
			Instant now = Instant.now();
			upsertToken(authorization.getId(), STATE, TokenHashes.of(state), now, now.plus(STATE_LIFETIME), false,
					Map.of());
		}
		token(authorization, OAuth2AuthorizationCode.class).ifPresent(token -> upsert(authorization, CODE, token));
		token(authorization, OAuth2AccessToken.class).ifPresent(token -> upsert(authorization, ACCESS, token));
		token(authorization, OidcIdToken.class).ifPresent(token -> upsert(authorization, ID_TOKEN, token));
		token(authorization, OAuth2RefreshToken.class).ifPresent(token -> {
			boolean isNew = upsert(authorization, REFRESH, token);
			if (isNew) {
				supersedeOtherRefreshTokens(authorization.getId(), TokenHashes.of(token.getToken().getTokenValue()));
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
			// the grant's row first, in the same order as revokeAuthorization, so the two cannot deadlock
			jdbc.sql("select id from oauth_authorization where id = :id for update").param("id", authorizationId)
				.query(String.class).optional();
			claimed = jdbc.sql("""
					update oauth_token set invalidated_at = :now,
					    superseded = case when token_type = 'refresh_token' then true else superseded end
					where token_hash = :hash and authorization_id = :id and token_type = :type
					  and superseded = false and invalidated_at is null
					""")
				.param("now", OffsetDateTime.now(ZoneOffset.UTC))
				.param("hash", presentedHash)
				.param("id", authorizationId)
				.param("type", type)
				.update();
		}
		catch (PessimisticLockingFailureException ex) {
			// gave up waiting for the request that holds the grant (H2's lock timeout, a deadlock): that one is using
			// the token; this transaction may be unusable, so it ends without writing anything
			TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
			throw usedByAnotherRequest(type);
		}
		if (claimed == 0) {
			revokeAuthorization(authorizationId);
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
		jdbc.sql("delete from oauth_token where authorization_id = :id").param("id", authorization.getId()).update();
		jdbc.sql("delete from oauth_authorization where id = :id").param("id", authorization.getId()).update();
	}

	@Override
	@Transactional(readOnly = true)
	public @Nullable OAuth2Authorization findById(String id) {
		return load(id, null, null, null);
	}

	@Override
	public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
		String hash = TokenHashes.of(token);
		Optional<TokenRow> row = jdbc.sql("""
				select token_hash, authorization_id, token_type, superseded from oauth_token where token_hash = :hash
				""")
			.param("hash", hash)
			.query((rs, i) -> new TokenRow(rs.getString("token_hash"), rs.getString("authorization_id"),
					rs.getString("token_type"), rs.getBoolean("superseded")))
			.optional();
		if (row.isEmpty() || (tokenType != null && !tokenType.getValue().equals(row.get().type()))) {
			return null;
		}
		if (row.get().superseded()) {
			// RFC 9700 4.14.2: a rotated refresh token came back, so someone holds a stolen copy; end the whole grant
			revokeAuthorization(row.get().authorizationId());
			return null;
		}
		return load(row.get().authorizationId(), row.get().type(), hash, token);
	}

	/** Invalidates every token of the grant and marks it revoked; returns how many live tokens that ended. */
	int revokeAuthorization(String authorizationId) {
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		jdbc.sql("update oauth_authorization set revoked_at = :now where id = :id and revoked_at is null")
			.param("now", now)
			.param("id", authorizationId)
			.update();
		return jdbc.sql("""
				update oauth_token set invalidated_at = :now
				where authorization_id = :id and invalidated_at is null and token_type <> 'state'
				""").param("now", now).param("id", authorizationId).update();
	}

	/**
	 * Ends the user's grants to the client through the authorization code grant: their codes, access, refresh and ID
	 * tokens stop working at once. Finds the grants through the {@code account_id} index and their tokens through
	 * {@code (authorization_id, token_type)}. Returns how many live tokens that ended.
	 */
	int revokeCodeGrants(String clientId, long accountId) {
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		int ended = jdbc.sql("""
				update oauth_token set invalidated_at = :now
				where invalidated_at is null and token_type <> 'state'
				  and authorization_id in (select id from oauth_authorization
				                           where account_id = :account and client_id = :client
				                             and grant_type = 'authorization_code')
				""").param("now", now).param("account", accountId).param("client", clientId).update();
		jdbc.sql("""
				update oauth_authorization set revoked_at = :now
				where account_id = :account and client_id = :client and grant_type = 'authorization_code'
				  and revoked_at is null
				""").param("now", now).param("account", accountId).param("client", clientId).update();
		return ended;
	}

	/** Whether the access token with this value is one this server issued and still honours (not revoked). */
	@Transactional(readOnly = true)
	boolean isAccessTokenLive(String tokenValue) {
		return jdbc.sql("""
				select count(*) from oauth_token
				where token_hash = :hash and token_type = 'access_token' and invalidated_at is null
				""").param("hash", TokenHashes.of(tokenValue)).query(Long.class).single() == 1;
	}

	private @Nullable OAuth2Authorization load(String id, @Nullable String matchedType, @Nullable String matchedHash,
			@Nullable String matchedValue) {
		Optional<AuthorizationRow> found = jdbc.sql("""
				select id, client_id, principal_name, grant_type, scopes, attributes, revoked_at
				from oauth_authorization where id = :id
				""")
			.param("id", id)
			.query((rs, i) -> new AuthorizationRow(rs.getString("id"), rs.getString("client_id"),
					rs.getString("principal_name"), rs.getString("grant_type"), rs.getString("scopes"),
					rs.getString("attributes")))
			.optional();
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
		readAttributes(authorization.attributes(), builder);
		List<StoredToken> tokens = jdbc.sql("""
				select token_hash, token_type, issued_at, expires_at, invalidated_at, superseded, metadata
				from oauth_token where authorization_id = :id order by issued_at, token_hash
				""")
			.param("id", id)
			.query((rs, i) -> new StoredToken(rs.getString("token_hash"), rs.getString("token_type"),
					rs.getObject("issued_at", OffsetDateTime.class).toInstant(),
					rs.getObject("expires_at", OffsetDateTime.class) == null ? null
							: rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
					rs.getObject("invalidated_at") != null, rs.getBoolean("superseded"), rs.getString("metadata")))
			.list();
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
				addToken(builder, type, token, value);
			}
		});
		return builder.build();
	}

	private void addToken(OAuth2Authorization.Builder builder, String type, StoredToken stored, String value) {
		Map<String, Object> metadata = json.readValue(stored.metadata(), MAP);
		Map<String, Object> claims = readClaims(metadata.get(OAuth2Authorization.Token.CLAIMS_METADATA_NAME));
		if (claims != null) {
			metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, claims);
		}
		metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME, stored.invalidated());
		OAuth2Token token = switch (type) {
			case CODE -> new OAuth2AuthorizationCode(value, stored.issuedAt(), stored.expiresAt());
			case REFRESH -> new OAuth2RefreshToken(value, stored.issuedAt(), stored.expiresAt());
			case ID_TOKEN -> new OidcIdToken(value, stored.issuedAt(), stored.expiresAt(),
					claims == null ? Map.of("sub", "unknown") : claims);
			default -> new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, value, stored.issuedAt(),
					stored.expiresAt(), scopesOf(claims));
		};
		builder.token(token, map -> map.putAll(metadata));
	}

	private static Set<String> scopesOf(@Nullable Map<String, Object> claims) {
		if (claims == null) {
			return Set.of();
		}
		Object scope = claims.get("scope");
		if (scope instanceof String text && !text.isBlank()) {
			return Set.of(text.split(" "));
		}
		if (scope instanceof java.util.Collection<?> list) {
			return Set.copyOf(list.stream().map(String::valueOf).toList());
		}
		return Set.of();
	}

	/** Inserts the token's row, or updates its state; true when the row is new. */
	private boolean upsert(OAuth2Authorization authorization, String type, OAuth2Authorization.Token<?> token) {
		Map<String, Object> metadata = new LinkedHashMap<>();
		token.getMetadata().forEach((key, value) -> {
			if (key.equals(OAuth2Authorization.Token.CLAIMS_METADATA_NAME) && value instanceof Map<?, ?> claims) {
				metadata.put(key, writeClaims(claims));
			}
			else if (!key.equals(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME)
					&& (value instanceof String || value instanceof Number || value instanceof Boolean)) {
				metadata.put(key, value);
			}
		});
		OAuth2Token value = token.getToken();
		return upsertToken(authorization.getId(), type, TokenHashes.of(value.getTokenValue()),
				value.getIssuedAt() == null ? Instant.now() : value.getIssuedAt(), value.getExpiresAt(),
				token.isInvalidated(), metadata);
	}

	private boolean upsertToken(String authorizationId, String type, String hash, Instant issuedAt,
			@Nullable Instant expiresAt, boolean invalidated, Map<String, Object> metadata) {
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		int updated = jdbc.sql("""
				update oauth_token set metadata = :metadata,
				    invalidated_at = case when :invalidated then coalesce(invalidated_at, :now) else invalidated_at end
				where token_hash = :hash and authorization_id = :authorization
				""")
			.param("metadata", json.writeValueAsString(metadata))
			.param("invalidated", invalidated)
			.param("now", now)
			.param("hash", hash)
			.param("authorization", authorizationId)
			.update();
		if (updated > 0) {
			return false;
		}
		jdbc.sql("""
				insert into oauth_token (token_hash, authorization_id, token_type, issued_at, expires_at, invalidated_at,
				                         superseded, metadata)
				values (:hash, :authorization, :type, :issued, :expires, :invalidatedAt, false, :metadata)
				""")
			.param("hash", hash)
			.param("authorization", authorizationId)
			.param("type", type)
			.param("issued", OffsetDateTime.ofInstant(issuedAt, ZoneOffset.UTC))
			.param("expires", expiresAt == null ? null : OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC))
			.param("invalidatedAt", invalidated ? now : null)
			.param("metadata", json.writeValueAsString(metadata))
			.update();
		return true;
	}

	private void supersedeOtherRefreshTokens(String authorizationId, String currentHash) {
		jdbc.sql("""
				update oauth_token set superseded = true, invalidated_at = coalesce(invalidated_at, :now)
				where authorization_id = :id and token_type = 'refresh_token' and token_hash <> :current
				""")
			.param("now", OffsetDateTime.now(ZoneOffset.UTC))
			.param("id", authorizationId)
			.param("current", currentHash)
			.update();
	}

	private void upsertAuthorization(OAuth2Authorization authorization, @Nullable Long accountId,
			Map<String, Object> attributes) {
		String scopes = String.join(" ", authorization.getAuthorizedScopes().stream().sorted().toList());
		String attributesJson = json.writeValueAsString(attributes);
		int updated = jdbc.sql("update oauth_authorization set scopes = :scopes, attributes = :attributes where id = :id")
			.param("scopes", scopes)
			.param("attributes", attributesJson)
			.param("id", authorization.getId())
			.update();
		if (updated == 0) {
			jdbc.sql("""
					insert into oauth_authorization (id, client_id, account_id, principal_name, grant_type, scopes,
					                                 attributes, created_at)
					values (:id, :client, :account, :principal, :grant, :scopes, :attributes, :now)
					""")
				.param("id", authorization.getId())
				.param("client", authorization.getRegisteredClientId())
				.param("account", accountId)
				.param("principal", authorization.getPrincipalName())
				.param("grant", authorization.getAuthorizationGrantType().getValue())
				.param("scopes", scopes)
				.param("attributes", attributesJson)
				.param("now", OffsetDateTime.now(ZoneOffset.UTC))
				.update();
		}
	}

	private static <T extends OAuth2Token> Optional<OAuth2Authorization.Token<T>> token(OAuth2Authorization authorization,
			Class<T> type) {
		return Optional.ofNullable(authorization.getToken(type));
	}

	private static Map<String, Object> writePrincipal(Authentication principal) {
		Map<String, Object> written = new LinkedHashMap<>();
		// auth_time (OIDC Core 2): when the user last proved who they are; the authorization time if not recorded
		Instant authenticatedAt = principal.getAuthorities().stream()
			.filter(FactorGrantedAuthority.class::isInstance)
			.map(authority -> ((FactorGrantedAuthority) authority).getIssuedAt())
			.max(Instant::compareTo)
			.orElse(Instant.now());
		written.put("authenticatedAt", authenticatedAt.getEpochSecond());
		if (principal.getPrincipal() instanceof SignedInUser user) {
			written.put("kind", "user");
			written.put("id", user.id());
			written.put("username", user.username());
			written.put("displayName", user.displayName());
			written.put("superAdmin", user.superAdmin());
		}
		else {
			written.put("kind", "other");
			written.put("name", principal.getName());
		}
		return written;
	}

	private static Map<String, Object> writeRequest(OAuth2AuthorizationRequest request) {
		Map<String, Object> written = new LinkedHashMap<>();
		written.put("kind", "authorization_request");
		written.put("authorizationUri", request.getAuthorizationUri());
		written.put("clientId", request.getClientId());
		written.put("redirectUri", request.getRedirectUri());
		written.put("scopes", List.copyOf(request.getScopes()));
		written.put("state", request.getState());
		written.put("additionalParameters", stringValues(request.getAdditionalParameters()));
		written.put("attributes", stringValues(request.getAttributes()));
		written.put("authorizationRequestUri", request.getAuthorizationRequestUri());
		return written;
	}

	private static Map<String, Object> stringValues(Map<String, Object> values) {
		Map<String, Object> kept = new LinkedHashMap<>();
		values.forEach((key, value) -> {
			if (value instanceof String || value instanceof Number || value instanceof Boolean) {
				kept.put(key, value);
			}
		});
		return kept;
	}

	@SuppressWarnings("unchecked")
	private void readAttributes(String attributesJson, OAuth2Authorization.Builder builder) {
		Map<String, Object> attributes = json.readValue(attributesJson, MAP);
		attributes.forEach((key, value) -> {
			if (value instanceof Map<?, ?> map && "user".equals(map.get("kind"))) {
				SignedInUser user = new SignedInUser(((Number) map.get("id")).longValue(), (String) map.get("username"),
						(String) map.get("displayName"), Boolean.TRUE.equals(map.get("superAdmin")));
				builder.attribute(key, UsernamePasswordAuthenticationToken.authenticated(user, null, factor(map)));
			}
			else if (value instanceof Map<?, ?> map && "other".equals(map.get("kind"))) {
				builder.attribute(key,
						UsernamePasswordAuthenticationToken.authenticated((String) map.get("name"), null, factor(map)));
			}
			else if (value instanceof Map<?, ?> map && "authorization_request".equals(map.get("kind"))) {
				builder.attribute(key, OAuth2AuthorizationRequest.authorizationCode()
					.authorizationUri((String) map.get("authorizationUri"))
					.clientId((String) map.get("clientId"))
					.redirectUri((String) map.get("redirectUri"))
					.scopes(Set.copyOf((List<String>) map.get("scopes")))
					.state((String) map.get("state"))
					.additionalParameters((Map<String, Object>) map.get("additionalParameters"))
					.attributes((Map<String, Object>) map.get("attributes"))
					.authorizationRequestUri((String) map.get("authorizationRequestUri"))
					.build());
			}
			else if (value != null) {
				builder.attribute(key, value);
			}
		});
	}

	private static List<FactorGrantedAuthority> factor(Map<?, ?> principal) {
		Instant at = principal.get("authenticatedAt") instanceof Number seconds ? Instant.ofEpochSecond(seconds.longValue())
				: Instant.now();
		return List.of(FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY).issuedAt(at).build());
	}

	private static Map<String, Object> writeClaims(Map<?, ?> claims) {
		Map<String, Object> written = new LinkedHashMap<>();
		claims.forEach((key, value) -> {
			if (value instanceof Instant instant) {
				written.put(String.valueOf(key), instant.getEpochSecond());
			}
			else if (value instanceof java.util.Date date) {
				written.put(String.valueOf(key), date.toInstant().getEpochSecond());
			}
			else if (value instanceof java.util.Collection<?> list) {
				written.put(String.valueOf(key), new ArrayList<>(list.stream().map(String::valueOf).toList()));
			}
			else if (value instanceof java.net.URL url) {
				written.put(String.valueOf(key), url.toString());
			}
			else if (value != null) {
				written.put(String.valueOf(key), value instanceof Number || value instanceof Boolean ? value
						: String.valueOf(value));
			}
		});
		return written;
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Map<String, Object> readClaims(@Nullable Object stored) {
		if (!(stored instanceof Map<?, ?> map)) {
			return null;
		}
		Map<String, Object> claims = new LinkedHashMap<>((Map<String, Object>) map);
		TIME_CLAIMS.forEach(name -> {
			if (claims.get(name) instanceof Number seconds) {
				claims.put(name, Instant.ofEpochSecond(seconds.longValue()));
			}
		});
		// Spring's JwtGenerator copies auth_time into the ID token it issues on refresh, and reads it as a Date
		if (claims.get("auth_time") instanceof Instant authTime) {
			claims.put("auth_time", java.util.Date.from(authTime));
		}
		return claims;
	}

	private record TokenRow(String hash, String authorizationId, String type, boolean superseded) {
	}

	private record AuthorizationRow(String id, String clientId, String principalName, String grantType, String scopes,
			String attributes) {
	}

	private record StoredToken(String hash, String type, Instant issuedAt, @Nullable Instant expiresAt,
			boolean invalidated, boolean superseded, String metadata) {
	}

}
