package io.gatehouse.webhooks;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

import org.jspecify.annotations.Nullable;

/** A webhook endpoint as the REST API shows it; {@code secret} only in the responses that made it. */
record WebhookJson(long id, String url, String description,
		@JsonProperty("event_types") @Schema(description = "Audit event types (GET /api/1.0/audit/types)")
		List<String> eventTypes,
		boolean active, @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt,
		@Schema(description = "The signing secret (prefix whsec_), shown only once: in the response of create and "
				+ "of regenerate-secret") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String secret) {

	static WebhookJson of(WebhookEndpoint endpoint, @Nullable String secret) {
		return new WebhookJson(endpoint.id(), endpoint.url(), endpoint.description(),
				endpoint.eventTypes().stream().sorted().toList(), endpoint.active(), endpoint.createdAt(),
				endpoint.updatedAt(), secret);
	}

}
