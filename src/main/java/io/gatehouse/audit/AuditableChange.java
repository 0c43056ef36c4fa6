package io.gatehouse.audit;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Event a module publishes, inside the transaction of the change, for the audit log to record: who (actor) did
 * which action to which subject, and the field changes. Publishing it in the same transaction means a change is
 * never stored without its record, nor a record without its change.
 *
 * @param actorId the signed-in user's id, or null for the system (for example the first-start bootstrap)
 * @param action a verb such as {@code created}, {@code updated}, {@code deleted}, {@code secret_regenerated}
 * @param subjectType what kind of record, such as {@code auth_client}, {@code user}, {@code group}; with the action
 *     it makes the event's type, {@code auth_client.updated}
 * @param clientId the auth client the change concerns (the client itself, or the one a token or consent belongs
 *     to); null when none. Audit searches filter by it.
 */
public record AuditableChange(@Nullable Long actorId, String actorUsername, String action, String subjectType,
		String subjectId, String subjectName, List<FieldChange> changes, @Nullable String clientId) {

	public AuditableChange {
		changes = List.copyOf(changes);
	}

	/** A change that concerns no client, or an auth client itself (its id is then the subject's). */
	public AuditableChange(@Nullable Long actorId, String actorUsername, String action, String subjectType,
			String subjectId, String subjectName, List<FieldChange> changes) {
		this(actorId, actorUsername, action, subjectType, subjectId, subjectName, changes,
				AuditEventTypes.AUTH_CLIENT.equals(subjectType) ? subjectId : null);
	}

	/** The event's type: {@code subjectType.action}. */
	public String type() {
		return subjectType + "." + action;
	}

}
