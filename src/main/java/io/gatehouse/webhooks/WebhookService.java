package io.gatehouse.webhooks;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.gatehouse.api.ConflictException;
import io.gatehouse.api.FieldErrors;
import io.gatehouse.api.NotFoundException;
import io.gatehouse.api.TextRules;
import io.gatehouse.audit.AuditEventTypes;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.FieldChange;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.Topics;
import io.gatehouse.database.Timestamps;
import io.gatehouse.secrets.Secrets;
import io.gatehouse.signing.KeyEncryption;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registers, changes and deletes webhook endpoints, shows their delivery logs and redelivers. Who may is the
 * caller's check (permission {@code manage-webhooks}). The signing secret is made here, returned once, and kept
 * encrypted under the key-encryption key, bound to the endpoint's id. Every change is audited; the audit record
 * shows the URL without its query, which may carry a receiver's token.
 */
@Service
class WebhookService {

	static final int MAX_URL_LENGTH = 2000;

	static final int PER_PAGE = 50;

	private final JdbcWebhookRepository repository;

	private final KeyEncryption encryption;

	private final WebhookUrls urls;

	private final AuditTrail audit;

	private final Clock clock;

	private final ChangeSignals signals;

	WebhookService(JdbcWebhookRepository repository, KeyEncryption encryption, WebhookUrls urls, AuditTrail audit,
			ChangeSignals signals, ObjectProvider<Clock> clock) {
		this.signals = signals;
		this.repository = repository;
		this.encryption = encryption;
		this.urls = urls;
		this.audit = audit;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	/** What binds an endpoint's encrypted secret to its row. */
	static String associatedData(long endpointId) {
		return "webhook_endpoint:" + endpointId;
	}

	@Transactional(readOnly = true)
	List<WebhookEndpoint> list() {
		return repository.findEndpoints();
	}

	/** @throws NotFoundException when there is no such endpoint */
	@Transactional(readOnly = true)
	WebhookEndpoint get(long id) {
		return repository.findEndpoint(id).orElseThrow(() -> new NotFoundException("Webhook"));
	}

	/** @throws io.gatehouse.api.ValidationException (422) under url, description or event_types; nothing written */
	@Transactional
	IssuedWebhookSecret create(WebhookDraft draft) {
		Checked checked = check(draft);
		Instant now = Timestamps.now();
		long id = repository.insertEndpoint(checked.url(), checked.description(), checked.eventTypes(),
				checked.active(), now);
		String secret = storeNewSecret(id, now);
		WebhookEndpoint endpoint = get(id);
		List<FieldChange> changes = new ArrayList<>();
		FieldChange.addIfChanged(changes, "url", null, auditedUrl(endpoint.url()));
		FieldChange.addIfChanged(changes, "description", null, endpoint.description());
		FieldChange.addIfChanged(changes, "event_types", null, String.join(" ", endpoint.eventTypes()));
		FieldChange.addIfChanged(changes, "active", null, endpoint.active());
		audit.record("created", AuditEventTypes.WEBHOOK, Long.toString(id), name(endpoint), changes);
		signals.publish(Topics.WEBHOOK, Long.toString(id));
		return new IssuedWebhookSecret(endpoint, secret);
	}

	/** Replaces the endpoint's settings; its secret stays. */
	@Transactional
	WebhookEndpoint update(long id, WebhookDraft draft) {
		WebhookEndpoint before = get(id);
		Checked checked = check(draft);
		repository.updateEndpoint(id, checked.url(), checked.description(), checked.eventTypes(), checked.active(),
				Timestamps.now());
		WebhookEndpoint after = get(id);
		List<FieldChange> changes = new ArrayList<>();
		FieldChange.addIfChanged(changes, "url", auditedUrl(before.url()), auditedUrl(after.url()));
		FieldChange.addIfChanged(changes, "description", before.description(), after.description());
		FieldChange.addIfChanged(changes, "event_types", String.join(" ", before.eventTypes()),
				String.join(" ", after.eventTypes()));
		FieldChange.addIfChanged(changes, "active", before.active(), after.active());
		audit.record("updated", AuditEventTypes.WEBHOOK, Long.toString(id), name(after), changes);
		signals.publish(Topics.WEBHOOK, Long.toString(id));
		return after;
	}

	/** A new signing secret, at once the only one: deliveries from now on are signed with it. */
	@Transactional
	IssuedWebhookSecret regenerateSecret(long id) {
		WebhookEndpoint endpoint = get(id);
		String secret = storeNewSecret(id, Timestamps.now());
		audit.record("secret_regenerated", AuditEventTypes.WEBHOOK, Long.toString(id), name(endpoint),
				List.of(new FieldChange("secret", "(hidden)", "(regenerated)")));
		signals.publish(Topics.WEBHOOK, Long.toString(id));
		return new IssuedWebhookSecret(get(id), secret);
	}

	/** Deletes the endpoint with its delivery log; what was pending is not sent. */
	@Transactional
	void delete(long id) {
		WebhookEndpoint endpoint = get(id);
		repository.deleteEndpoint(id);
		audit.record("deleted", AuditEventTypes.WEBHOOK, Long.toString(id), name(endpoint),
				List.of(new FieldChange("url", auditedUrl(endpoint.url()), null)));
		signals.publish(Topics.WEBHOOK, Long.toString(id));
	}

	/** One page (from 1) of the endpoint's delivery log, newest first; {@code hasMore} when another follows. */
	@Transactional(readOnly = true)
	DeliveryPage deliveries(long endpointId, int page) {
		get(endpointId);
		List<WebhookDelivery> rows = repository.findDeliveries(endpointId, (page - 1) * PER_PAGE, PER_PAGE + 1);
		boolean more = rows.size() > PER_PAGE;
		List<WebhookDelivery> shown = more ? rows.subList(0, PER_PAGE) : rows;
		return new DeliveryPage(shown, page, more,
				repository.findAttempts(shown.stream().map(WebhookDelivery::id).toList()));
	}

	/** A page of the delivery log, with the attempts of its deliveries (read in one query). */
	record DeliveryPage(List<WebhookDelivery> rows, int page, boolean hasMore,
			Map<Long, List<WebhookAttempt>> attempts) {

		public List<WebhookAttempt> attemptsOf(long deliveryId) {
			return attempts.getOrDefault(deliveryId, List.of());
		}

	}

	/**
	 * The delivery's attempts, first first.
	 *
	 * @throws NotFoundException when the endpoint has no such delivery
	 */
	@Transactional(readOnly = true)
	List<WebhookAttempt> attempts(long endpointId, long deliveryId) {
		delivery(endpointId, deliveryId);
		return repository.findAttempts(deliveryId);
	}

	/** @throws NotFoundException when the endpoint has no such delivery */
	@Transactional(readOnly = true)
	WebhookDelivery delivery(long endpointId, long deliveryId) {
		return repository.findDelivery(endpointId, deliveryId).orElseThrow(() -> new NotFoundException("Delivery"));
	}

	/**
	 * Queues the delivery's event again, at the end of its queue, with the same event id (so a receiver that has it
	 * can tell); the original stays in the log.
	 * @throws ConflictException (409) while the delivery is still pending
	 */
	@Transactional
	WebhookDelivery redeliver(long endpointId, long deliveryId) {
		WebhookDelivery original = delivery(endpointId, deliveryId);
		if (WebhookDelivery.PENDING.equals(original.state())) {
			throw new ConflictException("The delivery is still pending; it is sent again without being asked.");
		}
		return delivery(endpointId, repository.redeliver(original, clock.instant()));
	}

	private String storeNewSecret(long id, Instant now) {
		String secret = Secrets.generate("whsec_");
		repository.updateSecret(id,
				encryption.encrypt(associatedData(id), secret, "signing secret of webhook " + id), now);
		return secret;
	}

	private Checked check(WebhookDraft draft) {
		FieldErrors errors = new FieldErrors();
		String url = draft.url() == null ? "" : draft.url().trim();
		if (url.isEmpty()) {
			errors.add("url", "The URL is required.");
		}
		else if (url.length() > MAX_URL_LENGTH) {
			errors.add("url", "The URL must be at most " + MAX_URL_LENGTH + " characters.");
		}
		else {
			String problem = urls.problemWith(url);
			if (problem != null) {
				errors.add("url", problem);
			}
		}
		String description = draft.description() == null ? "" : draft.description().trim();
		String textProblem = TextRules.problemWith("description", description);
		if (description.length() > 255) {
			errors.add("description", "The description must be at most 255 characters.");
		}
		else if (textProblem != null) {
			errors.add("description", textProblem);
		}
		Set<String> types = new LinkedHashSet<>();
		List<String> requested = draft.eventTypes() == null ? List.of() : draft.eventTypes();
		for (String type : requested) {
			if (type == null || !AuditEventTypes.isKnown(type)) {
				errors.add("event_types", "Unknown event type: " + (type == null ? "null" : type) + ".");
			}
			else {
				types.add(type);
			}
		}
		if (requested.isEmpty()) {
			errors.add("event_types", "Choose at least one event type.");
		}
		errors.throwIfAny();
		return new Checked(url, description, types, draft.active() == null || draft.active());
	}

	private record Checked(String url, String description, Set<String> eventTypes, boolean active) {
	}

	private static String name(WebhookEndpoint endpoint) {
		return endpoint.description().isEmpty() ? auditedUrl(endpoint.url()) : endpoint.description();
	}

	/** The URL without query and fragment: a receiver's token in the query is no business of the audit log. */
	static String auditedUrl(@Nullable String url) {
		if (url == null) {
			return "";
		}
		int cut = url.indexOf('?');
		int hash = url.indexOf('#');
		if (hash >= 0 && (cut < 0 || hash < cut)) {
			cut = hash;
		}
		return cut < 0 ? url : url.substring(0, cut) + "?…";
	}

}
