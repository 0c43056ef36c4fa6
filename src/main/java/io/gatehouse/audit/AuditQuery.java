package io.gatehouse.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import io.gatehouse.api.FieldErrors;
import io.gatehouse.api.PageQuery;
import io.gatehouse.api.TextRules;
import io.gatehouse.database.NameKeys;

import org.jspecify.annotations.Nullable;

/**
 * What the audit log is searched by: who acted (a username, any case), the auth client concerned, the event type,
 * a time range ({@code from} inclusive, {@code to} exclusive), and the page. Built from untrusted query parameters
 * by {@link #parse}, which refuses what it cannot honour.
 *
 * @param actorKey the actor's username as keys compare it ({@code lower(trim(...))}); null for any actor
 */
public record AuditQuery(@Nullable String actorKey, @Nullable String clientId, @Nullable String type,
		@Nullable Instant from, @Nullable Instant to, int page, int perPage) {

	public static final int DEFAULT_PER_PAGE = 20;

	public long offset() {
		return (long) (page - 1) * perPage;
	}

	/** Everything, first page. */
	public static AuditQuery all() {
		return new AuditQuery(null, null, null, null, null, 1, DEFAULT_PER_PAGE);
	}

	/**
	 * Parses query parameters; blank ones mean "any". Throws {@link io.gatehouse.api.ValidationException} (422) naming
	 * the parameter when a value is malformed: a time that is neither an ISO-8601 instant
	 * ({@code 2026-11-22T10:00:00Z}) nor a date ({@code 2026-11-22}, midnight UTC), an unknown event type, a page out
	 * of range.
	 */
	public static AuditQuery parse(@Nullable String actor, @Nullable String client, @Nullable String type,
			@Nullable String from, @Nullable String to, @Nullable String page, @Nullable String perPage) {
		FieldErrors errors = new FieldErrors();
		String actorKey = text(errors, "actor", actor);
		String clientId = text(errors, "client", client);
		String eventType = text(errors, "type", type);
		if (eventType != null && !AuditEventTypes.isKnown(eventType)) {
			errors.add("type", "The type field must be an audit event type, such as auth_client.updated.");
		}
		Instant start = instant(errors, "from", from);
		Instant end = instant(errors, "to", to);
		int pageNumber = integer(errors, "page", page, 1, 1, Integer.MAX_VALUE / PageQuery.MAX_PER_PAGE);
		int size = integer(errors, "per_page", perPage, DEFAULT_PER_PAGE, 1, PageQuery.MAX_PER_PAGE);
		errors.throwIfAny();
		return new AuditQuery(actorKey == null ? null : NameKeys.of(actorKey), clientId, eventType, start, end,
				pageNumber, size);
	}

	private static @Nullable String text(FieldErrors errors, String field, @Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String trimmed = value.trim();
		String problem = TextRules.problemWith(field + " field", trimmed);
		if (trimmed.length() > 255) {
			errors.add(field, "The " + field + " field must not be greater than 255 characters.");
		}
		else if (problem != null) {
			// no name holds such characters, and PostgreSQL refuses a NUL in any text parameter
			errors.add(field, problem);
		}
		return trimmed;
	}

	private static @Nullable Instant instant(FieldErrors errors, String field, @Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String trimmed = value.trim();
		try {
			return trimmed.length() == 10 ? LocalDate.parse(trimmed).atStartOfDay(ZoneOffset.UTC).toInstant()
					: Instant.parse(trimmed);
		}
		catch (DateTimeParseException ex) {
			errors.add(field, "The " + field + " field must be a date (2026-11-22) or an ISO-8601 time in UTC "
					+ "(2026-11-22T10:00:00Z).");
			return null;
		}
	}

	private static int integer(FieldErrors errors, String field, @Nullable String raw, int fallback, int min,
			int max) {
		if (raw == null || raw.isBlank()) {
			return fallback;
		}
		try {
			int value = Integer.parseInt(raw.trim());
			if (value >= min && value <= max) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		errors.add(field, "The " + field + " field must be an integer between " + min + " and " + max + ".");
		return fallback;
	}

}
