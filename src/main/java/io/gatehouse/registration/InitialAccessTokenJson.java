package io.gatehouse.registration;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

import org.jspecify.annotations.Nullable;

/** An initial access token in the REST API. {@code token}, its value, is present only in the create response. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record InitialAccessTokenJson(String id, String name, @JsonProperty("created_at") Instant createdAt,
		@JsonProperty("expires_at") Instant expiresAt, @JsonProperty("single_use") boolean singleUse,
		@JsonProperty("used_at") @Schema(description = "The last registration made with it") @Nullable Instant usedAt,
		@JsonProperty("created_by") String createdBy,
		@Schema(description = "active, used (single use, spent), expired or revoked") String state,
		@Schema(description = "Shown only once, in the create response; send it as Authorization: Bearer to "
				+ "POST /oauth/register") @Nullable String token) {

	static InitialAccessTokenJson of(InitialAccessToken token, Instant now, @Nullable String value) {
		return new InitialAccessTokenJson(token.id(), token.name(), token.createdAt(), token.expiresAt(),
				token.singleUse(), token.usedAt(), token.createdBy(), token.state(now), value);
	}

	/** {@code POST /api/1.0/initial-access-tokens}. */
	record CreateRequest(@Nullable String name,
			@JsonProperty("expires_in") @Schema(description = "Seconds, 60 to 2592000 (30 days)")
			@Nullable Long expiresIn,
			@JsonProperty("single_use") @Schema(description = "Registers one client only; default false")
			@Nullable Boolean singleUse) {
	}

	/** {@code GET /api/1.0/initial-access-tokens}: the newest 100, newest first. */
	record Listing(List<InitialAccessTokenJson> data) {
	}

}
