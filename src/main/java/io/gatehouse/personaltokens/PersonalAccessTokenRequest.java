package io.gatehouse.personaltokens;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

import org.jspecify.annotations.Nullable;

/** The body of {@code POST /api/1.0/users/{user_id}/tokens}. */
record PersonalAccessTokenRequest(
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 255) @Nullable String name,
		@Schema(description = "Default [\"api\"], the only scope so far", allowableValues = { "api" })
		@Nullable List<String> scopes,
		@Schema(description = "A live client with personal access tokens enabled; default personal-access-client")
		@JsonProperty("client_id") @Nullable String clientId,
		@Schema(description = "1 to 365; default 90", minimum = "1", maximum = "365")
		@JsonProperty("expires_in_days") @Nullable Integer expiresInDays) {

	PersonalAccessTokenDraft toDraft() {
		return new PersonalAccessTokenDraft(name, scopes, clientId, expiresInDays);
	}

}
