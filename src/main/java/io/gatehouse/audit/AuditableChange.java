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
 * @param subjectType what kind of record, such as {@code auth_client}, {@code user}, {@code group}
 */
public record AuditableChange(@Nullable Long actorId, String actorUsername, String action, String subjectType,
		String subjectId, String subjectName, List<FieldChange> changes) {

	public AuditableChange {
		changes = List.copyOf(changes);
	}

}
