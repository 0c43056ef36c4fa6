package io.gatehouse.audit;

import java.util.List;

import io.gatehouse.signin.SignedInUser;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * How a module records a change: publishes an {@link AuditableChange} in the caller's transaction, which
 * {@link AuditLog} stores, so the change and its record commit or roll back together. A change without field changes
 * (nothing happened) is not recorded. Describe fields by name and display value only; never pass a secret.
 */
@Component
public class AuditTrail {

	private final ApplicationEventPublisher events;

	AuditTrail(ApplicationEventPublisher events) {
		this.events = events;
	}

	/** Records the change as made by the signed-in user, or by {@code system} when nobody is signed in. */
	public void record(String action, String subjectType, String subjectId, String subjectName,
			List<FieldChange> changes) {
		SignedInUser actor = SignedInUser.current().orElse(null);
		record(actor == null ? null : actor.id(), actor == null ? "system" : actor.username(), action, subjectType,
				subjectId, subjectName, changes);
	}

	/** Records the change as made by this actor (null id: the system). */
	public void record(@Nullable Long actorId, String actorUsername, String action, String subjectType,
			String subjectId, String subjectName, List<FieldChange> changes) {
		if (changes.isEmpty()) {
			return;
		}
		events.publishEvent(
				new AuditableChange(actorId, actorUsername, action, subjectType, subjectId, subjectName, changes));
	}

}
