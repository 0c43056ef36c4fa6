package io.gatehouse.webhooks;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

import org.jspecify.annotations.Nullable;

/** The body of {@code POST /api/1.0/webhooks} and {@code PUT /api/1.0/webhooks/{id}}. */
record WebhookRequest(
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 2000,
				description = "https:// to a public address (private, loopback and link-local addresses are "
						+ "refused), checked again before each delivery") @Nullable String url,
		@Schema(maxLength = 255, description = "Default empty") @Nullable String description,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
				description = "At least one audit event type (GET /api/1.0/audit/types)")
		@JsonProperty("event_types") @Nullable List<String> eventTypes,
		@Schema(description = "Default true; an inactive endpoint gets no new events") @Nullable Boolean active) {

	WebhookDraft toDraft() {
		return new WebhookDraft(url, description, eventTypes, active);
	}

}
