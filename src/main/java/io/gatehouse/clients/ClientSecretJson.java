package io.gatehouse.clients;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

import org.jspecify.annotations.Nullable;

/**
 * One of a client's secrets in the REST API: never its value, except in {@code secret} of the response that added
 * it. Null times are shown as null; {@code secret} and {@code revoked_at} only when present.
 */
record ClientSecretJson(String id,
		@Schema(description = "The secret's first characters, to tell it apart") String label,
		@JsonProperty("created_at") Instant createdAt,
		@JsonProperty("expires_at") @Schema(description = "When it stops working; null until revoked")
		@Nullable Instant expiresAt,
		@JsonProperty("last_used_at") @Schema(description = "Recorded at most once a minute")
		@Nullable Instant lastUsedAt,
		@JsonProperty("revoked_at") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant revokedAt,
		@Schema(description = "Shown only once, in the response that added it")
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String secret) {

	static ClientSecretJson of(ClientSecret secret) {
		return of(secret, null);
	}

	static ClientSecretJson of(ClientSecret secret, @Nullable String value) {
		return new ClientSecretJson(secret.id(), secret.label(), secret.createdAt(), secret.expiresAt(),
				secret.lastUsedAt(), secret.revokedAt(), value);
	}

	/** {@code {"data": [...]}}, the list envelope of the API. */
	record Listing(List<ClientSecretJson> data) {
	}

	/** Body of {@code POST /api/1.0/auth-clients/{id}/secrets}. */
	record AddRequest(@JsonProperty("keep_current_for")
	@Schema(description = "Seconds the current secrets keep working (0: revoked now; at most 30 days)",
			requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "2592000")
	@Nullable Long keepCurrentFor) {
	}

}
