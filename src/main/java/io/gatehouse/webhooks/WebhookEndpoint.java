package io.gatehouse.webhooks;

import java.time.Instant;
import java.util.Set;

/** A registered webhook endpoint, as stored (its secret apart: only the dispatcher reads it, decrypted). */
record WebhookEndpoint(long id, String url, String description, Set<String> eventTypes, boolean active,
		Instant createdAt, Instant updatedAt) {

	WebhookEndpoint {
		eventTypes = Set.copyOf(eventTypes);
	}

	boolean wants(String eventType) {
		return active && eventTypes.contains(eventType);
	}

}
