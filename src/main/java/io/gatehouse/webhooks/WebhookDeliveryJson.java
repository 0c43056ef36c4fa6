package io.gatehouse.webhooks;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

import org.jspecify.annotations.Nullable;

/** A row of an endpoint's delivery log, as the REST API shows it. */
record WebhookDeliveryJson(long id,
		@JsonProperty("event_id") @Schema(description = "The event's id: its audit record's, and the "
				+ "Gatehouse-Webhook-Id header; the same in a redelivery") long eventId,
		@JsonProperty("event_type") String eventType,
		@Schema(allowableValues = { "pending", "delivered", "failed" }) String state,
		@Schema(description = "Attempts made so far") int attempts,
		@JsonProperty("next_attempt_at") @Schema(description = "When pending: the next attempt")
		@Nullable Instant nextAttemptAt,
		@JsonProperty("last_status") @Schema(description = "The last answer's status code; null when none came")
		@Nullable Integer lastStatus,
		@JsonProperty("last_duration_ms") @Nullable Integer lastDurationMs,
		@JsonProperty("last_error") @Schema(description = "The last failure's class: http_<status>, timeout, "
				+ "connect_failed, io_error, refused_address, secret_unreadable") @Nullable String lastError,
		@JsonProperty("created_at") Instant createdAt, @JsonProperty("finished_at") @Nullable Instant finishedAt) {

	static WebhookDeliveryJson of(WebhookDelivery delivery) {
		return new WebhookDeliveryJson(delivery.id(), delivery.eventId(), delivery.eventType(), delivery.state(),
				delivery.attempts(),
				WebhookDelivery.PENDING.equals(delivery.state()) ? delivery.nextAttemptAt() : null,
				delivery.lastStatus(), delivery.lastDurationMs(), delivery.lastError(), delivery.createdAt(),
				delivery.finishedAt());
	}

}
