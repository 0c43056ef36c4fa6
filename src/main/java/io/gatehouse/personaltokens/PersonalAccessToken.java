package io.gatehouse.personaltokens;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A personal access token as its owner sees it in a list. Never carries the token value, which exists only in the
 * response that created it ({@link IssuedPersonalAccessToken}).
 *
 * @param scopes the granted scopes, such as {@code api}
 * @param expiresAt null when the token never expires
 * @param lastUsedAt null when never used; updated at most once a minute
 * @param revokedAt null while not revoked
 */
public record PersonalAccessToken(long id, long accountId, String name, String clientId, String clientName,
		List<String> scopes, Instant createdAt, @Nullable Instant expiresAt, @Nullable Instant lastUsedAt,
		@Nullable Instant revokedAt) {

	public PersonalAccessToken {
		scopes = List.copyOf(scopes);
	}

	/**
	 * Whether a bearer value is in the format of a personal access token ({@code gtpat_...}), whether or not it is a
	 * valid one: such values are checked here, never as OAuth tokens.
	 */
	public static boolean hasFormat(String bearerValue) {
		return PersonalAccessTokens.looksLikeToken(bearerValue);
	}

	/** Not revoked and not expired at {@code now}. */
	public boolean activeAt(Instant now) {
		return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
	}

}
