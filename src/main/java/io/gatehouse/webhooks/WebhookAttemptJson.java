package io.gatehouse.webhooks;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/** One attempt of a delivery, as the REST API shows it. */
record WebhookAttemptJson(@Schema(description = "1 for the delivery's first attempt") int attempt,
		@JsonProperty("attempted_at") Instant attemptedAt,
		@Schema(description = "The answer's status code; null when none came") @Nullable Integer status,
		@Schema(description = "The failure's class: http_<status>, timeout, connect_failed, refused_address, "
				+ "response_too_large, secret_unreadable; null for a 2xx") @Nullable String error,
		@JsonProperty("duration_ms") int durationMs,
		@JsonProperty("response_body") @Schema(description = "The first 1,024 characters of the receiver's answer, "
				+ "as text (control characters replaced); empty when none came") String responseBody) {

	static WebhookAttemptJson of(WebhookAttempt attempt) {
		return new WebhookAttemptJson(attempt.attempt(), attempt.attemptedAt(), attempt.status(), attempt.error(),
				attempt.durationMs(), attempt.responseBody());
	}

}
