package io.gatehouse.oauth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.gatehouse.clients.AuthClientService;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.Topics;
import io.gatehouse.oauth.AuthorizationJson.WrittenAttributes;
import io.gatehouse.oauth.JdbcAuthorizationRepository.AuthorizationRow;
import io.gatehouse.oauth.JdbcAuthorizationRepository.LoadedGrant;
import io.gatehouse.oauth.JdbcAuthorizationRepository.NewGrantRows;
import io.gatehouse.oauth.JdbcAuthorizationRepository.RotationRows;
import io.gatehouse.oauth.JdbcAuthorizationRepository.StoredToken;
import io.gatehouse.usage.TokenUsage;
import io.gatehouse.usage.UsageGrantType;

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
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionAspectSupport;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StringUtils;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

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

	/** RFC 8628: the device code the device polls with, single use like a code. */
	static final String DEVICE_CODE = OAuth2ParameterNames.DEVICE_CODE;

	/** RFC 8628: the user code the user types on {@code /device}, looked up by its hash like every token. */
	static final String USER_CODE = OAuth2ParameterNames.USER_CODE;

	/**
	 * A pushed authorization request (RFC 9126): Spring keeps it as a grant with a state that its
	 * {@code request_uri} carries; stored as a token of its own type, so it expires with the request URI and is
	 * found only as such.
	 */
	static final String REQUEST_URI = OAuth2ParameterNames.REQUEST_URI;

	private static final java.time.Duration STATE_LIFETIME = java.time.Duration.ofHours(1);

	/** The longest a pushed request may wait for the browser, whatever its {@code request_uri} says. */
	static final java.time.Duration REQUEST_URI_LIFETIME = java.time.Duration.ofSeconds(300);

	/**
	 * Set on a pushed authorization request: when saved, the expiry of its request URI; when loaded, that it is one,
	 * so that using it up ({@link #remove}) succeeds once only.
	 */
	static final String PUSHED_REQUEST = JdbcTokenStore.class.getName() + ".pushedRequest";

	/**
	 * Set on a grant loaded through one of its refresh tokens: that token's hash. Spring's refresh grant copies the
	 * grant's attributes into the one it saves, so {@link #save} knows which refresh token the new one replaces.
	 */
	static final String PRESENTED_REFRESH_TOKEN = JdbcTokenStore.class.getName() + ".presentedRefreshToken";

	/**
	 * Set on a grant loaded through a refresh token that rotated within the grace period and may rotate once more
	 * ({@link TokenProperties#refreshGracePeriod()}).
	 */
	static final String GRACE_REPLAY = JdbcTokenStore.class.getName() + ".graceReplay";

	/**
	 * Set on a grant loaded through its authorization code or device code while that code was unused: the
	 * code's hash.
	 */
	static final String PRESENTED_CODE = JdbcTokenStore.class.getName() + ".presentedCode";

	/**
	 * Set on a grant loaded from the database: what was loaded ({@link Loaded}). A grant saved without it is new
	 * (Spring makes a new grant with a fresh id), so its rows are inserted without first trying an update.
	 */
	static final String LOADED = JdbcTokenStore.class.getName() + ".loaded";

	/**
	 * Request attribute set by {@link PushedRequestUserAgentFilter}: the hash of the request URI this authorization
	 * request presents. The grant the request then saves (its consent state or its code) first uses the request URI
	 * up, in the same transaction, so of two requests of one browser at once only one saves anything; the other is
	 * {@code invalid_request_uri}. Once used up, it is {@link #CLAIMED_REQUEST_URI}.
	 */
	static final String PRESENTED_REQUEST_URI = JdbcTokenStore.class.getName() + ".presentedRequestUri";

	/** Request attribute: the hash of the request URI this request used up, which it then deletes. */
	/**
	 * Attribute of a new token exchange grant (RFC 8693): the id of the grant of the subject token, stored as its
	 * {@code parent_id}, so that revoking that grant revokes this one too.
	 */
	static final String PARENT_GRANT = JdbcTokenStore.class.getName() + ".parentGrant";

	static final String CLAIMED_REQUEST_URI = JdbcTokenStore.class.getName() + ".claimedRequestUri";

	/** The attributes the store sets on a grant for itself, never stored with it. */
	private static final Set<String> OWN_ATTRIBUTES = Set.of(PRESENTED_REFRESH_TOKEN, PRESENTED_CODE, PUSHED_REQUEST,
			LOADED, GRACE_REPLAY, PARENT_GRANT);

	/** The tokens a grant may hold, by their token_type, in the order {@link #save} writes them. */
	private static final List<Map.Entry<String, Class<? extends OAuth2Token>>> TOKEN_TYPES = List.of(
			Map.entry(CODE, OAuth2AuthorizationCode.class), Map.entry(DEVICE_CODE, OAuth2DeviceCode.class),
			Map.entry(USER_CODE, OAuth2UserCode.class), Map.entry(ACCESS, OAuth2AccessToken.class),
			Map.entry(ID_TOKEN, OidcIdToken.class), Map.entry(REFRESH, OAuth2RefreshToken.class));

	/** A grant as it was loaded: its scopes and attributes as stored, and its tokens by hash. */
	record Loaded(String scopes, String attributes, Map<String, StoredToken> tokens) {
	}

	private final JdbcAuthorizationRepository repository;

	private final AuthorizationJson json;

	private final RegisteredClientRepository clients;

	private final OAuthAudit audit;

	private final ChangeSignals signals;

	private final java.time.Duration gracePeriod;

	private final AuthClientService clientUse;

	private final TokenUsage usage;

	private final TransactionTemplate transactions;

	JdbcTokenStore(JdbcAuthorizationRepository repository, AuthorizationJson json, RegisteredClientRepository clients,
			ChangeSignals signals, OAuthAudit audit, TokenProperties properties, AuthClientService clientUse,
			TokenUsage usage, PlatformTransactionManager transactionManager) {
		this.transactions = new TransactionTemplate(transactionManager);
		this.signals = signals;
		this.clientUse = clientUse;
		this.usage = usage;
		this.gracePeriod = properties.refreshGracePeriod();
		this.repository = repository;
		this.json = json;
		this.clients = clients;
		this.audit = audit;
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
		Loaded loaded = authorization.getAttribute(LOADED);
		if (loaded == null) {
			claimPresentedRequestUri();
		}
		String presentedRefresh = authorization.getAttribute(PRESENTED_REFRESH_TOKEN);
		OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
		boolean refreshRotated = false;
		boolean graced = false;
		if (presentedRefresh != null && refresh != null
				&& !presentedRefresh.equals(TokenHashes.of(refresh.getToken().getTokenValue()))) {
			if (Boolean.TRUE.equals(authorization.getAttribute(GRACE_REPLAY))) {
				graced = claimGrace(authorization.getId(), presentedRefresh);
			}
			else {
				// the claim also supersedes the presented token: the grant's only live refresh token until now
				graced = claim(authorization.getId(), REFRESH, presentedRefresh);
			}
			refreshRotated = true;
		}
		String presentedCode = authorization.getAttribute(PRESENTED_CODE);
		OAuth2Authorization.Token<OAuth2AuthorizationCode> code = authorization.getToken(OAuth2AuthorizationCode.class);
		if (presentedCode != null && code != null && code.isInvalidated()
				&& presentedCode.equals(TokenHashes.of(code.getToken().getTokenValue()))) {
			claim(authorization.getId(), CODE, presentedCode);
		}
		OAuth2Authorization.Token<OAuth2DeviceCode> deviceCode = authorization.getToken(OAuth2DeviceCode.class);
		if (presentedCode != null && deviceCode != null && deviceCode.isInvalidated()
				&& presentedCode.equals(TokenHashes.of(deviceCode.getToken().getTokenValue()))) {
			// RFC 8628 3.5: the device code is exchanged once; of two polls after approval only one gets tokens
			claim(authorization.getId(), DEVICE_CODE, presentedCode);
		}
		Map<String, Object> attributes = new LinkedHashMap<>(authorization.getAttributes());
		Instant pushedUntil = attributes.get(PUSHED_REQUEST) instanceof Instant until ? until : null;
		String parentGrant = attributes.get(PARENT_GRANT) instanceof String parent ? parent : null;
		attributes.keySet().removeAll(OWN_ATTRIBUTES);
		// the state is looked up like a token (the consent page answers with it), so it is stored as one
		String state = attributes.get(STATE) instanceof String text ? text : null;
		if (state != null) {
			attributes.remove(STATE);
		}
		WrittenAttributes written = json.writeAttributes(attributes);
		AuthorizationRow row = rowOf(authorization, written.json());
		if (loaded == null) {
			repository.insertAuthorization(row, written.accountId(), parentGrant);
		}
		else if (!loaded.scopes().equals(row.scopes()) || !loaded.attributes().equals(row.attributes())) {
			// a device grant gets its user when the user enters the code, after the grant was stored
			repository.updateAuthorization(row, written.accountId());
		}
		List<StoredToken> inserts = new ArrayList<>();
		if (state != null) {
			// the consent page must be answered within the hour, a pushed request used within its request URI's
			// lifetime; the row is then cleaned up with expired tokens
			Instant now = Instant.now();
			write(loaded, authorization.getId(), new StoredToken(TokenHashes.of(state),
					pushedUntil == null ? STATE : REQUEST_URI, now,
					pushedUntil == null ? now.plus(STATE_LIFETIME) : pushedUntil, false, false, "{}", null), inserts);
		}
		String newRefresh = null;
		for (Map.Entry<String, Class<? extends OAuth2Token>> type : TOKEN_TYPES) {
			OAuth2Authorization.Token<? extends OAuth2Token> token = authorization.getToken(type.getValue());
			if (token != null && write(loaded, authorization, type.getKey(), token,
					redirectUri(authorization, type.getKey()), inserts) && type.getKey().equals(REFRESH)) {
				newRefresh = TokenHashes.of(token.getToken().getTokenValue());
			}
		}
		repository.insertTokens(authorization.getId(), inserts);
		if (inserts.stream().anyMatch(token -> token.type().equals(ACCESS))) {
			// the client's last use, for the console's list: written at most once a minute per client and node, after
			// the commit, so the client's row is never locked while the grant's is (a client edit locks the other way).
			// Usage counts the token once it is committed, in memory; a grant loaded through a refresh token and saved
			// with a new access token is a refresh, whatever grant first made it
			String clientId = authorization.getRegisteredClientId();
			UsageGrantType grant = presentedRefresh != null ? UsageGrantType.REFRESH_TOKEN
					: UsageGrantType.ofGrantType(authorization.getAuthorizationGrantType().getValue());
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCommit() {
					recordUse(clientId, grant);
				}

			});
		}
		if (newRefresh != null && loaded != null && (!refreshRotated || graced)) {
			// a stored grant got a refresh token other than by rotation (a code exchange), or by a rotation within the
			// grace period: any other one goes, the successor of the first rotation too
			repository.supersedeOtherRefreshTokens(authorization.getId(), newRefresh);
		}
	}

	/**
	 * A refresh token rotates exactly once (RFC 9700 4.14.2) and a code is exchanged once (RFC 6749 4.1.2). Of
	 * concurrent requests that presented the same token, the first to get here takes the grant's row lock and marks
	 * the token used; the others wait for the lock and then find nothing left to claim. Such a request is
	 * indistinguishable from an attacker racing the client with a stolen copy, so, as for any reuse, the whole grant
	 * is revoked (the tokens the first request got too).
	 */
	private boolean claim(String authorizationId, String type, String presentedHash) {
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
		if (claimed == 0 && type.equals(REFRESH) && !gracePeriod.isZero()) {
			// the request that got there first has rotated it: within the grace period this one rotates it again
			return claimGrace(authorizationId, presentedHash);
		}
		if (claimed == 0) {
			audit.grantRevokedOnReuse(authorizationId, type, revokeGrant(authorizationId));
			throw usedByAnotherRequest(type);
		}
		return false;
	}

	/**
	 * The one more rotation of a refresh token presented again within the grace period (a lost response, two tabs
	 * refreshing at once): true once it is claimed. Outside the period, or given it already, it is a reuse as any
	 * other: the grant is revoked.
	 */
	private boolean claimGrace(String authorizationId, String presentedHash) {
		if (repository.claimGrace(authorizationId, presentedHash, graceStart()) == 0) {
			audit.grantRevokedOnReuse(authorizationId, REFRESH, revokeGrant(authorizationId));
			throw usedByAnotherRequest(REFRESH);
		}
		return true;
	}

	private java.time.OffsetDateTime graceStart() {
		return java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minus(gracePeriod);
	}

	private static OAuth2AuthenticationException usedByAnotherRequest(String type) {
		String token = switch (type) {
			case CODE -> "The authorization code";
			case DEVICE_CODE -> "The device code";
			default -> "The refresh token";
		};
		return new OAuth2AuthenticationException(
				new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT, token + " was used by another request.", null));
	}

	/** RFC 9126 4: the request URI this request presented, used up before anything of the request is saved. */
	private void claimPresentedRequestUri() {
		if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
				|| !(attributes.getRequest().getAttribute(PRESENTED_REQUEST_URI) instanceof String hash)) {
			return;
		}
		attributes.getRequest().removeAttribute(PRESENTED_REQUEST_URI);
		int claimed;
		try {
			claimed = repository.claimRequestUri(hash);
		}
		catch (PessimisticLockingFailureException ex) {
			TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
			throw PushedAuthorizationRequests.invalidRequestUri("The request_uri was used by another request.");
		}
		if (claimed == 0) {
			throw PushedAuthorizationRequests.invalidRequestUri("The request_uri was used by another request.");
		}
		attributes.getRequest().setAttribute(CLAIMED_REQUEST_URI, hash);
	}

	/**
	 * Stores a pushed authorization request (RFC 9126 2.2) with the expiry of its request URI: the one Spring put
	 * in the URI, and never later than {@link #REQUEST_URI_LIFETIME} from now; and records it in the audit log.
	 */
	@Transactional
	void savePushedRequest(OAuth2Authorization authorization, Instant expiresAt) {
		Instant latest = Instant.now().plus(REQUEST_URI_LIFETIME);
		save(OAuth2Authorization.from(authorization)
			.attribute(PUSHED_REQUEST, expiresAt.isAfter(latest) ? latest : expiresAt)
			.build());
		RegisteredClient client = clients.findById(authorization.getRegisteredClientId());
		audit.requestPushed(authorization.getRegisteredClientId(), client == null ? null : client.getClientName());
	}

	/**
	 * Binds the pushed request whose request URI carries {@code key} to the browser that presents it (RFC 9126 4:
	 * single use); false when another browser presented it first, or it is unknown.
	 */
	boolean bindRequestUri(String key, String userAgent) {
		return repository.bindRequestUri(TokenHashes.of(key), TokenHashes.of(userAgent));
	}

	/**
	 * Deletes the grant. A pushed authorization request is used up first (RFC 9126 4: a request URI is single use),
	 * claimed under the grant's row lock like a code; of two requests that used the same request URI at once, the
	 * second finds nothing left to claim and fails with {@code invalid_request_uri}, so only one of them goes on.
	 * A request that used it up already, when it saved its grant ({@link #PRESENTED_REQUEST_URI}), just deletes it.
	 */
	@Override
	@Transactional(noRollbackFor = OAuth2AuthenticationException.class)
	public void remove(OAuth2Authorization authorization) {
		String state = authorization.getAttribute(STATE);
		if (authorization.getAttribute(PUSHED_REQUEST) != null && state != null
				&& !TokenHashes.of(state).equals(claimedByThisRequest())) {
			int claimed;
			try {
				claimed = repository.claim(authorization.getId(), REQUEST_URI, TokenHashes.of(state));
			}
			catch (PessimisticLockingFailureException ex) {
				// gave up waiting for the request that holds the grant: that one is using the request URI
				TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
				throw PushedAuthorizationRequests.invalidRequestUri("The request_uri was used by another request.");
			}
			if (claimed == 0) {
				throw PushedAuthorizationRequests.invalidRequestUri("The request_uri was used by another request.");
			}
		}
		repository.delete(authorization.getId());
	}

	private static @Nullable String claimedByThisRequest() {
		return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
				&& attributes.getRequest().getAttribute(CLAIMED_REQUEST_URI) instanceof String hash ? hash : null;
	}

	@Override
	@Transactional(readOnly = true)
	public @Nullable OAuth2Authorization findById(String id) {
		return repository.findGrant(id).map(found -> load(found, null, null, null, false)).orElse(null);
	}

	/**
	 * The grant of this token, read in one statement. It needs no transaction of its own (one statement is consistent
	 * by itself, and a transaction would cost a commit per refresh); it joins the caller's when there is one. A rotated
	 * refresh token that came back revokes its grant in a transaction of its own ({@link #revokeOnReuse}).
	 */
	@Override
	@Transactional(propagation = Propagation.SUPPORTS)
	public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
		String hash = TokenHashes.of(token);
		// one read: the token, its grant and the grant's other tokens (the refresh grant's hot path)
		Optional<LoadedGrant> found = repository.findGrantByToken(hash);
		Optional<StoredToken> row = found.flatMap(grant -> grant.tokens().stream()
			.filter(stored -> stored.hash().equals(hash)).findFirst());
		if (row.isEmpty() || (tokenType != null && !tokenType.getValue().equals(row.get().type())
				&& !(STATE.equals(tokenType.getValue()) && REQUEST_URI.equals(row.get().type())))) {
			return null;
		}
		String authorizationId = found.get().grant().id();
		if (REQUEST_URI.equals(row.get().type()) && (row.get().expiresAt() == null
				|| !Instant.now().isBefore(row.get().expiresAt()))) {
			// an expired request URI is no longer known (RFC 9126 2.2); cleanup deletes it with expired tokens
			return null;
		}
		boolean graceReplay = false;
		if (row.get().superseded()) {
			if (!gracePeriod.isZero() && repository.withinGrace(hash, graceStart())) {
				// rotated moments ago: the client may have lost the answer; it may rotate once more
				graceReplay = true;
			}
			else {
				// RFC 9700 4.14.2: a rotated refresh token came back, so someone holds a stolen copy; end the grant
				revokeOnReuse(authorizationId);
				return null;
			}
		}
		return load(found.get(), row.get().type(), hash, token, graceReplay);
	}

	private @Nullable OAuth2Authorization load(LoadedGrant found, @Nullable String matchedType,
			@Nullable String matchedHash, @Nullable String matchedValue, boolean graceReplay) {
		AuthorizationRow authorization = found.grant();
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
		List<StoredToken> tokens = found.tokens();
		Map<String, StoredToken> current = new HashMap<>();
		for (StoredToken token : tokens) {
			if (!token.superseded()) {
				current.put(token.type(), token);
			}
		}
		if (matchedType != null) {
			// a refresh token within its grace period is shown to the refresh grant as live: it may rotate once more
			tokens.stream().filter(token -> token.hash().equals(matchedHash)).findFirst()
				.map(token -> graceReplay ? new StoredToken(token.hash(), token.type(), token.issuedAt(),
						token.expiresAt(), false, false, token.metadata(), token.redirectUri()) : token)
				.ifPresent(token -> current.put(matchedType, token));
		}
		if (REFRESH.equals(matchedType) && matchedHash != null) {
			builder.attribute(PRESENTED_REFRESH_TOKEN, matchedHash);
		}
		if (graceReplay) {
			builder.attribute(GRACE_REPLAY, Boolean.TRUE);
		}
		if ((CODE.equals(matchedType) || DEVICE_CODE.equals(matchedType)) && matchedHash != null && tokens.stream()
			.anyMatch(token -> token.hash().equals(matchedHash) && !token.invalidated())) {
			builder.attribute(PRESENTED_CODE, matchedHash);
		}
		Map<String, StoredToken> loadedTokens = new HashMap<>();
		current.values().forEach(token -> loadedTokens.put(token.hash(), token));
		builder.attribute(LOADED, new Loaded(authorization.scopes(), authorization.attributes(), loadedTokens));
		current.forEach((type, token) -> {
			String value = token.hash().equals(matchedHash) ? matchedValue : TokenHashes.placeholder(token.hash());
			if (type.equals(STATE)) {
				builder.attribute(STATE, value);
			}
			else if (type.equals(REQUEST_URI)) {
				builder.attribute(STATE, value).attribute(PUSHED_REQUEST, Boolean.TRUE);
			}
			else {
				json.addToken(builder, type, token, value);
			}
		});
		return builder.build();
	}

	/** Revokes the grant of a reused refresh token, with its audit record, all or nothing. */
	private void revokeOnReuse(String authorizationId) {
		transactions.executeWithoutResult(
				status -> audit.grantRevokedOnReuse(authorizationId, REFRESH, revokeGrant(authorizationId)));
	}

	/** Revokes the whole grant and tells every node; returns how many live tokens that ended. */
	private int revokeGrant(String authorizationId) {
		int revoked = repository.revokeAuthorization(authorizationId);
		signals.publish(Topics.GRANT, authorizationId);
		return revoked;
	}

	/**
	 * Queues the token's row for insertion when it is new, or updates its state when it was loaded and changed; true
	 * when the row is new. An access or refresh token saved as invalidated was revoked (the revocation endpoint, a
	 * code used twice): nodes that cache it are told.
	 */
	private boolean write(@Nullable Loaded loaded, OAuth2Authorization authorization, String type,
			OAuth2Authorization.Token<?> token, @Nullable String redirectUri, List<StoredToken> inserts) {
		if (token.isInvalidated() && (type.equals(ACCESS) || type.equals(REFRESH))) {
			signals.publish(Topics.GRANT, authorization.getId());
		}
		return write(loaded, authorization.getId(), rowOf(type, token, redirectUri), inserts);
	}

	private StoredToken rowOf(String type, OAuth2Authorization.Token<?> token, @Nullable String redirectUri) {
		OAuth2Token value = token.getToken();
		return new StoredToken(TokenHashes.of(value.getTokenValue()), type,
				value.getIssuedAt() == null ? Instant.now() : value.getIssuedAt(), value.getExpiresAt(),
				token.isInvalidated(), false, json.writeMetadata(token), redirectUri);
	}

	/** The redirect URI stored with a token of this type: a code's ({@link #codeRedirectUri}), null for the rest. */
	private @Nullable String redirectUri(OAuth2Authorization authorization, String type) {
		return type.equals(CODE) ? codeRedirectUri(authorization) : null;
	}

	private boolean write(@Nullable Loaded loaded, String authorizationId, StoredToken token,
			List<StoredToken> inserts) {
		StoredToken stored = loaded == null ? null : loaded.tokens().get(token.hash());
		if (stored == null) {
			inserts.add(token);
			return true;
		}
		if (!stored.metadata().equals(token.metadata()) || stored.invalidated() != token.invalidated()) {
			repository.updateToken(authorizationId, token);
			if (token.invalidated() && !stored.invalidated()
					&& (token.type().equals(ACCESS) || token.type().equals(REFRESH))) {
				// revoked (the revocation endpoint, a code used twice): what was exchanged for the grant's tokens
				// goes too (RFC 8693); nodes that cache those are told by the grant's signal
				repository.revokeExchangedFrom(authorizationId);
			}
		}
		return false;
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

	/** The grants whose new grant is only its rows: nothing to claim, no state, no code ({@link #newGrant}). */
	private static final Set<String> GROUPABLE_GRANTS = Set.of(AuthorizationGrantType.CLIENT_CREDENTIALS.getValue(),
			AuthClientRegisteredClientRepository.PASSWORD.getValue(), AuthorizationGrantType.TOKEN_EXCHANGE.getValue());

	/**
	 * The rows {@link #save} would insert for this grant, for {@link TokenStoreGroupCommit} to insert with other
	 * requests' in one transaction; null when the grant is not brand new or its save does more than insert rows (a
	 * claim, a state, a code), and then it must be saved by {@link #save}. Writes nothing.
	 */
	@Transactional(propagation = Propagation.SUPPORTS)
	@Nullable
	NewGrantRows newGrant(OAuth2Authorization authorization) {
		if (authorization.getAttribute(LOADED) != null
				|| !GROUPABLE_GRANTS.contains(authorization.getAuthorizationGrantType().getValue())
				|| authorization.getAttribute(PRESENTED_REFRESH_TOKEN) != null
				|| authorization.getAttribute(PRESENTED_CODE) != null || authorization.getAttribute(STATE) != null
				|| authorization.getAttribute(PUSHED_REQUEST) != null
				|| authorization.getToken(OAuth2AuthorizationCode.class) != null
				|| authorization.getToken(OAuth2DeviceCode.class) != null
				|| authorization.getToken(OAuth2UserCode.class) != null
				|| RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
						&& request.getRequest().getAttribute(PRESENTED_REQUEST_URI) != null) {
			return null;
		}
		// its rows get an id in time order (GrantIds): the caller is done with the object once it is saved, and the
		// grant is found again only through its tokens, which carry the stored id
		authorization = OAuth2Authorization.from(authorization).id(GrantIds.next()).build();
		Map<String, Object> attributes = new LinkedHashMap<>(authorization.getAttributes());
		String parentGrant = attributes.get(PARENT_GRANT) instanceof String parent ? parent : null;
		attributes.remove(PARENT_GRANT);
		WrittenAttributes written = json.writeAttributes(attributes);
		AuthorizationRow row = rowOf(authorization, written.json());
		List<StoredToken> inserts = new ArrayList<>();
		for (var token : List.of(Map.entry(ACCESS, OAuth2AccessToken.class), Map.entry(ID_TOKEN, OidcIdToken.class),
				Map.entry(REFRESH, OAuth2RefreshToken.class))) {
			OAuth2Authorization.Token<? extends OAuth2Token> found = authorization.getToken(token.getValue());
			if (found != null && found.isInvalidated()) {
				return null;
			}
			if (found != null) {
				write(null, authorization, token.getKey(), found, null, inserts);
			}
		}
		return new NewGrantRows(row, written.accountId(), parentGrant, inserts);
	}

	/**
	 * What follows the durable commit of a grant {@link #newGrant} gave the rows of, as {@link #save} does after its
	 * commit: its access token counted in the usage and the client's last use.
	 */
	@Transactional(propagation = Propagation.SUPPORTS)
	void committed(NewGrantRows grant) {
		if (grant.tokens().stream().anyMatch(token -> token.type().equals(ACCESS))) {
			String clientId = grant.grant().clientId();
			recordUse(clientId, UsageGrantType.ofGrantType(grant.grant().grantType()));
		}
	}

	/**
	 * The rows {@link #save} would write for this refresh, for {@link TokenStoreGroupCommit} to write with other
	 * requests' in one transaction: the claim of the presented refresh token and the new tokens' rows. Null when the
	 * save is anything else or more (not a rotation, a rotation within the grace period, a changed grant or a
	 * changed stored token, a token saved as revoked), and then it must be saved by {@link #save}. Writes nothing.
	 */
	@Transactional(propagation = Propagation.SUPPORTS)
	@Nullable
	RotationRows rotation(OAuth2Authorization authorization) {
		Loaded loaded = authorization.getAttribute(LOADED);
		String presentedRefresh = authorization.getAttribute(PRESENTED_REFRESH_TOKEN);
		OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
		if (loaded == null || presentedRefresh == null || refresh == null
				|| presentedRefresh.equals(TokenHashes.of(refresh.getToken().getTokenValue()))
				|| authorization.getAttribute(GRACE_REPLAY) != null
				|| authorization.getAttribute(PRESENTED_CODE) != null || authorization.getAttribute(STATE) != null
				|| authorization.getAttribute(PUSHED_REQUEST) != null) {
			return null;
		}
		Map<String, Object> attributes = new LinkedHashMap<>(authorization.getAttributes());
		attributes.keySet().removeAll(OWN_ATTRIBUTES);
		AuthorizationRow row = rowOf(authorization, json.writeAttributes(attributes).json());
		if (!loaded.scopes().equals(row.scopes()) || !loaded.attributes().equals(row.attributes())) {
			return null;
		}
		List<StoredToken> inserts = new ArrayList<>();
		for (Map.Entry<String, Class<? extends OAuth2Token>> type : TOKEN_TYPES) {
			OAuth2Authorization.Token<? extends OAuth2Token> token = authorization.getToken(type.getValue());
			if (token == null) {
				continue;
			}
			StoredToken written = rowOf(type.getKey(), token, redirectUri(authorization, type.getKey()));
			StoredToken stored = loaded.tokens().get(written.hash());
			if (stored == null ? written.invalidated()
					: !stored.metadata().equals(written.metadata()) || stored.invalidated() != written.invalidated()) {
				return null;
			}
			if (stored == null) {
				inserts.add(written);
			}
		}
		return new RotationRows(authorization.getId(), authorization.getRegisteredClientId(), presentedRefresh,
				inserts);
	}

	/**
	 * What follows the durable commit of a rotation {@link #rotation} gave the rows of, as after {@link #save}'s: the
	 * new access token counted in the usage as a refresh, and the client's last use.
	 */
	@Transactional(propagation = Propagation.SUPPORTS)
	void rotated(RotationRows rotation) {
		if (rotation.tokens().stream().anyMatch(token -> token.type().equals(ACCESS))) {
			recordUse(rotation.clientId(), UsageGrantType.REFRESH_TOKEN);
		}
	}

	private static AuthorizationRow rowOf(OAuth2Authorization authorization, String attributesJson) {
		return new AuthorizationRow(authorization.getId(), authorization.getRegisteredClientId(),
				authorization.getPrincipalName(), authorization.getAuthorizationGrantType().getValue(),
				String.join(" ", authorization.getAuthorizedScopes().stream().sorted().toList()), attributesJson);
	}

	/** After a committed access token: counted in the usage, and the client's last use (at most once a minute). */
	private void recordUse(String clientId, UsageGrantType grant) {
		usage.record(clientId, grant);
		clientUse.recordUse(clientId);
	}

}
