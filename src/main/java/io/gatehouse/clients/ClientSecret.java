package io.gatehouse.clients;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One of a client's secrets as the console and the API show it: never the value, which exists only in the response
 * that added it ({@link IssuedClientSecret}), nor its hash.
 *
 * @param label the secret's first characters, to tell it apart from the others; not enough to use it
 * @param expiresAt when it stops working; null until revoked
 * @param lastUsedAt when it last authenticated the client, recorded at most once a minute
 */
public record ClientSecret(String id, String label, Instant createdAt, @Nullable Instant expiresAt,
		@Nullable Instant lastUsedAt, @Nullable Instant revokedAt) {

	/** Whether the token endpoint accepts it at {@code now}. */
	public boolean activeAt(Instant now) {
		return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
	}

	/** Active, Expiring (active with an expiry), Expired or Revoked, for the console. */
	public String stateAt(Instant now) {
		if (revokedAt != null) {
			return "Revoked";
		}
		if (expiresAt == null) {
			return "Active";
		}
		return expiresAt.isAfter(now) ? "Expiring" : "Expired";
	}

}
