package io.gatehouse.audit;

import java.util.List;

import io.gatehouse.signin.SignedInUser;
import io.gatehouse.signin.SystemActor;

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

	/** The actor of changes made with nobody signed in (first-start bootstrap, scheduled work, a client's request). */
	public static final String SYSTEM = "system";

	private final ApplicationEventPublisher events;

	AuditTrail(ApplicationEventPublisher events) {
		this.events = events;
	}

	/**
	 * Records the change as made by the signed-in user, by the {@link SystemActor} acting (the {@code config}
	 * command line), or by {@link #SYSTEM} when nobody is signed in.
	 */
	public void record(String action, String subjectType, String subjectId, String subjectName,
			List<FieldChange> changes) {
		recordAbout(AuditEventTypes.AUTH_CLIENT.equals(subjectType) ? subjectId : null, action, subjectType, subjectId,
				subjectName, changes);
	}

	/** {@link #record(String, String, String, String, List)} for a change that concerns the client {@code clientId}. */
	public void recordAbout(@Nullable String clientId, String action, String subjectType, String subjectId,
			String subjectName, List<FieldChange> changes) {
		SignedInUser user = SignedInUser.current().orElse(null);
		String name = user != null ? user.username() : SystemActor.current().map(SystemActor::name).orElse(SYSTEM);
		publish(new AuditableChange(user == null ? null : user.id(), name, action, subjectType, subjectId,
				subjectName, changes, clientId));
	}

	/** Records the change as made by this actor (null id: the system). */
	public void record(@Nullable Long actorId, String actorUsername, String action, String subjectType,
			String subjectId, String subjectName, List<FieldChange> changes) {
		publish(new AuditableChange(actorId, actorUsername, action, subjectType, subjectId, subjectName, changes));
	}

	/** Records the change as described, actor and client included. */
	public void record(AuditableChange change) {
		publish(change);
	}

	private void publish(AuditableChange change) {
		if (change.changes().isEmpty()) {
			return;
		}
		events.publishEvent(change);
	}

}
