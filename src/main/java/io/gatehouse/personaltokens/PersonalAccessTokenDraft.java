package io.gatehouse.personaltokens;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a user asks for when creating a token, unvalidated.
 *
 * @param scopes null for {@code api}; an empty list is refused
 * @param clientId null for the seeded "Personal Access Client"
 * @param expiresInDays null for the default ({@value PersonalAccessTokens#DEFAULT_EXPIRY_DAYS} days)
 */
public record PersonalAccessTokenDraft(@Nullable String name, @Nullable List<String> scopes, @Nullable String clientId,
		@Nullable Integer expiresInDays) {
}
