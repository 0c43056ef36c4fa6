package io.gatehouse.webhooks;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One event on its way to one endpoint, and how its attempts went: the delivery log's row.
 *
 * @param state {@link #PENDING} (waiting or being sent), {@link #DELIVERED} or {@link #FAILED} (given up)
 * @param lastError the class of the last failure ({@code http_500}, {@code timeout}...), never a secret
 */
record WebhookDelivery(long id, long endpointId, long eventId, String eventType, String state, int attempts,
		Instant nextAttemptAt, @Nullable Integer lastStatus, @Nullable Integer lastDurationMs,
		@Nullable String lastError, Instant createdAt, @Nullable Instant finishedAt) {

	static final String PENDING = "pending";

	static final String DELIVERED = "delivered";

	static final String FAILED = "failed";

}
