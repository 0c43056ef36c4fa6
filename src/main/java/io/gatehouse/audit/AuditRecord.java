package io.gatehouse.audit;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** A stored audit entry, as the console's history shows it. */
public record AuditRecord(long id, Instant occurredAt, @Nullable Long actorId, String actorUsername, String action,
		String subjectType, String subjectId, String subjectName, List<FieldChange> changes) {
}
