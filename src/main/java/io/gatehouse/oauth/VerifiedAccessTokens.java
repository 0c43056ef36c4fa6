package io.gatehouse.oauth;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.gatehouse.cluster.ChangeSignal;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.InvalidatingCache;
import io.gatehouse.cluster.Topics;
import io.gatehouse.secrets.Secrets;

import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * This server's JWT access tokens that were verified and found live, so that a token presented again costs neither a
 * signature check nor a database read. Keyed by the SHA-256 of the token (the value itself is never kept); an entry
 * holds the token's claims and its grant. An entry serves only until the token's {@code exp}.
 * <p>
 * The revocation check stays exact: an entry is dropped by every signal that can end its token: {@code grant} (its
 * grant revoked: the revocation endpoint, refresh-token or code reuse), {@code client} (its client changed or
 * deleted, which revokes what the change ends) and {@code account} (its user deactivated or deleted, or consent
 * withdrawn). On this node that happens in the revoking request's thread after its commit, so the next request
 * fails; on the others within {@link ChangeSignals#STALENESS_BOUND}. A signing key leaves the JWKS only after every
 * token it signed has expired, so its retirement needs no signal.
 */
final class VerifiedAccessTokens {

	static final int MAX_TOKENS = 10_000;

	private final JwtDecoder decoder;

	private final JdbcAuthorizationRepository repository;

	private final InvalidatingCache<String, VerifiedAccessToken> tokens;

	VerifiedAccessTokens(JwtDecoder decoder, JdbcAuthorizationRepository repository, ChangeSignals signals,
			Duration maxTokenLifetime) {
		this.decoder = decoder;
		this.repository = repository;
		this.tokens = signals.cache(MAX_TOKENS, maxTokenLifetime);
	}

	/**
	 * The live access token with this value: verified (signature, {@code typ}, audience, issuer, expiry with the
	 * decoder's clock skew) and not revoked. Null when it was revoked or is unknown to the token store.
	 *
	 * @throws JwtException when the value is not a valid access token of this server
	 */
	@Nullable VerifiedAccessToken verify(String value) {
		String hash = Secrets.sha256(value);
		VerifiedAccessToken cached = tokens.get(hash, key -> load(value, key));
		if (cached == null || cached.servesAt(Instant.now())) {
			return cached;
		}
		// past its exp: never answered from the cache; the decoder decides (its clock skew) and nothing is kept
		tokens.invalidate(hash);
		return load(value, hash);
	}

	/** Like {@link #verify}, but null instead of an exception for a value that is not such a token. */
	@Nullable VerifiedAccessToken verifyOrNull(String value) {
		try {
			return verify(value);
		}
		catch (JwtException ex) {
			return null;
		}
	}

	private @Nullable VerifiedAccessToken load(String value, String hash) {
		Jwt jwt = decoder.decode(value);
		return repository.findLiveAccessTokenGrant(hash)
			.map(grant -> VerifiedAccessToken.of(jwt, grant))
			.orElse(null);
	}

	/** How many tokens are remembered (an estimate while evictions are pending). */
	long size() {
		return tokens.size();
	}

	@EventListener
	void on(ChangeSignal signal) {
		// an exchanged token (RFC 8693) goes with the grant it hangs off, and with that grant's client
		if (signal.is(Topics.GRANT)) {
			tokens.invalidateIf(token -> token.authorizationId().equals(signal.key())
					|| signal.key().equals(token.parentId()));
		}
		else if (signal.is(Topics.CLIENT)) {
			tokens.invalidateIf(token -> signal.key().equals(token.clientId())
					|| signal.key().equals(token.parentClientId()));
		}
		else if (signal.is(Topics.ACCOUNT)) {
			tokens.invalidateIf(token -> signal.key().equals(token.subject()));
		}
	}

	/**
	 * A verified, live access token: its claims as the decoder read them (no value), and the grant it belongs to.
	 *
	 * @param parentId for a token exchange grant, the grant of the subject token it was exchanged for
	 * @param parentClientId the client of that grant
	 */
	record VerifiedAccessToken(String authorizationId, @Nullable String parentId, @Nullable String parentClientId,
			Map<String, Object> claims, Instant expiresAt) {

		VerifiedAccessToken(String authorizationId, Map<String, Object> claims, Instant expiresAt) {
			this(authorizationId, null, null, claims, expiresAt);
		}

		static VerifiedAccessToken of(Jwt jwt, JdbcAuthorizationRepository.LiveGrant grant) {
			Map<String, Object> claims = new LinkedHashMap<>();
			jwt.getClaims().forEach((name, claim) -> {
				if (claim != null) {
					claims.put(name, claim);
				}
			});
			Instant expiresAt = jwt.getExpiresAt();
			return new VerifiedAccessToken(grant.authorizationId(), grant.parentId(), grant.parentClientId(),
					Map.copyOf(claims),
					expiresAt == null ? Instant.EPOCH : expiresAt);
		}

		/** Whether the token is still before its {@code exp}, as an entry must be to answer. */
		boolean servesAt(Instant now) {
			return now.isBefore(expiresAt);
		}

		@Nullable String subject() {
			return claims.get("sub") instanceof String sub ? sub : null;
		}

		@Nullable String clientId() {
			return claims.get("client_id") instanceof String clientId ? clientId : null;
		}

		/** The space-separated {@code scope} claim (RFC 9068 2.2.3), empty when there is none. */
		String scope() {
			return claims.get("scope") instanceof String scope ? scope : "";
		}

	}

}
