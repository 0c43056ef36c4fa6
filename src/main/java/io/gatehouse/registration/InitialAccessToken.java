package io.gatehouse.registration;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An initial access token (RFC 7591 3) as stored: never its value, which exists only in the response that created
 * it.
 *
 * @param usedAt the last registration made with it; for a single-use token, the only one
 * @param createdBy the username of the administrator who created it
 */
record InitialAccessToken(String id, String name, Instant createdAt, Instant expiresAt, boolean singleUse,
		@Nullable Instant usedAt, String createdBy, boolean revoked) {

	/** Whether it still lets a pipeline register a client at {@code now}. */
	boolean usableAt(Instant now) {
		return !revoked && now.isBefore(expiresAt) && !(singleUse && usedAt != null);
	}

	/** Its state in words, as the console and the API show it. */
	String state(Instant now) {
		if (revoked) {
			return "revoked";
		}
		if (!now.isBefore(expiresAt)) {
			return "expired";
		}
		return singleUse && usedAt != null ? "used" : "active";
	}

}
