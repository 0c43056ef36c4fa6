package io.gatehouse.personaltokens;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

import org.jspecify.annotations.Nullable;

/** A personal access token as the REST API shows it; {@code token} only in the response that created it. */
record PersonalAccessTokenJson(long id, String name, @JsonProperty("client_id") String clientId,
		@JsonProperty("client_name") String clientName, @Schema(allowableValues = { "api" }) List<String> scopes,
		@JsonProperty("created_at") Instant createdAt,
		@Schema(description = "null: never expires") @JsonProperty("expires_at") @Nullable Instant expiresAt,
		@Schema(description = "null: never used; updated at most once a minute") @JsonProperty("last_used_at")
		@Nullable Instant lastUsedAt,
		@JsonProperty("revoked_at") @Nullable Instant revokedAt,
		@Schema(description = "The token value (prefix gtpat_), shown only once, in the create response")
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String token) {

	static PersonalAccessTokenJson of(PersonalAccessToken token) {
		return of(token, null);
	}

	static PersonalAccessTokenJson of(PersonalAccessToken token, @Nullable String value) {
		return new PersonalAccessTokenJson(token.id(), token.name(), token.clientId(), token.clientName(),
				token.scopes(), token.createdAt(), token.expiresAt(), token.lastUsedAt(), token.revokedAt(), value);
	}

}
