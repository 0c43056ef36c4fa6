package io.gatehouse.webhooks;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.gatehouse.audit.AuditRecord;
import io.gatehouse.audit.AuditRecorded;
import io.gatehouse.audit.FieldChange;
import tools.jackson.databind.json.JsonMapper;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Puts each audit event into the outbox of every active endpoint that wants its type, in the transaction that wrote
 * the audit record (a plain {@link EventListener}): a change that rolls back leaves no delivery, and one that
 * commits leaves its deliveries on disk whatever happens to the node next. An endpoint inactive when the event
 * happens does not get it.
 */
@Component
class WebhookOutbox {

	private final JdbcWebhookRepository repository;

	private final WebhookEndpointCache endpoints;

	private final JsonMapper json;

	private final Clock clock;

	WebhookOutbox(JdbcWebhookRepository repository, WebhookEndpointCache endpoints, JsonMapper json,
			ObjectProvider<Clock> clock) {
		this.repository = repository;
		this.endpoints = endpoints;
		this.json = json;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	@EventListener
	void on(AuditRecorded recorded) {
		AuditRecord record = recorded.record();
		List<WebhookEndpoint> wanting = endpoints.active()
			.stream()
			.filter(endpoint -> endpoint.wants(record.type()))
			.toList();
		if (wanting.isEmpty()) {
			return;
		}
		String payload = json.writeValueAsString(Event.of(record));
		String key = orderingKey(record);
		Instant now = clock.instant();
		for (WebhookEndpoint endpoint : wanting) {
			repository.enqueue(endpoint.id(), record.id(), record.type(), key, payload, now);
		}
	}

	/** Events about one client share a queue, so they arrive in the order they happened; others, per subject. */
	static String orderingKey(AuditRecord record) {
		String key = record.clientId() != null ? "client:" + record.clientId()
				: record.subjectType() + ":" + record.subjectId();
		return key.length() <= 200 ? key : key.substring(0, 200);
	}

	/** The delivered body: {@code {"id","type","occurred_at","data":{...}}}; the id is the audit record's. */
	record Event(String id, String type, @JsonProperty("occurred_at") Instant occurredAt,
			Map<String, @Nullable Object> data) {

		static Event of(AuditRecord record) {
			Map<String, @Nullable Object> data = new LinkedHashMap<>();
			data.put("actor", record.actorUsername());
			data.put("actor_id", record.actorId());
			data.put("subject_type", record.subjectType());
			data.put("subject_id", record.subjectId());
			data.put("subject_name", record.subjectName());
			data.put("client_id", record.clientId());
			data.put("changes", record.changes().stream().map(Event::change).toList());
			return new Event(Long.toString(record.id()), record.type(), record.occurredAt(), data);
		}

		private static Map<String, @Nullable String> change(FieldChange change) {
			Map<String, @Nullable String> map = new LinkedHashMap<>();
			map.put("field", change.field());
			map.put("from", change.from());
			map.put("to", change.to());
			return map;
		}

	}

}
