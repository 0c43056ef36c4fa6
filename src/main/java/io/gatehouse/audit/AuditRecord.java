package io.gatehouse.audit;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A stored audit entry, as the console's history and the audit log show it.
 *
 * @param clientId the auth client the event concerns, when there is one
 */
public record AuditRecord(long id, Instant occurredAt, @Nullable Long actorId, String actorUsername, String action,
		String subjectType, String subjectId, String subjectName, List<FieldChange> changes,
		@Nullable String clientId) {

	public AuditRecord {
		changes = List.copyOf(changes);
	}

	/** The event's type, {@code subjectType.action}: {@code auth_client.updated}, {@code sign_in.failed}. */
	public String type() {
		return subjectType + "." + action;
	}

}
