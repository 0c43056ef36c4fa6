package io.gatehouse.audit;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/1.0/audit}: the audit log, searched and paged on the server. */
@RestController
@RequestMapping("/api/1.0/audit")
@Tag(name = "Audit log", description = "Every security-relevant event: who did what, when")
class AuditApiController {

	private final AuditLog log;

	AuditApiController(AuditLog log) {
		this.log = log;
	}

	@GetMapping
	@PreAuthorize("hasAuthority('view-audit')")
	@Operation(summary = "Search the audit log",
			description = "Newest first. actor: a username (any case); client: an auth client id; type: an event "
					+ "type (GET /api/1.0/audit/types); from (inclusive) and to (exclusive): a date (2026-11-22, "
					+ "midnight UTC) or an ISO-8601 time; page from 1; per_page 1 to 100, default 20. The meta says "
					+ "whether another page follows (has_more) rather than counting every match.")
	AuditList search(@RequestParam(required = false) @Nullable String actor,
			@RequestParam(required = false) @Nullable String client,
			@RequestParam(required = false) @Nullable String type,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			@RequestParam(required = false) @Nullable String page,
			@RequestParam(name = "per_page", required = false) @Nullable String perPage) {
		AuditPage result = log.search(AuditQuery.parse(actor, client, type, from, to, page, perPage));
		return new AuditList(result.rows().stream().map(AuditRecordJson::of).toList(),
				new Meta(result.page(), result.perPage(), result.hasNext()));
	}

	@GetMapping("/types")
	@PreAuthorize("hasAuthority('view-audit')")
	@Operation(summary = "List the audit event types",
			description = "Every type the audit log records, with what it means.")
	TypeList types() {
		return new TypeList(AuditEventTypes.ALL.entrySet().stream()
			.map(type -> new EventType(type.getKey(), type.getValue()))
			.toList());
	}

	record AuditList(List<AuditRecordJson> data, Meta meta) {
	}

	record Meta(int page, @JsonProperty("per_page") int perPage, @JsonProperty("has_more") boolean hasMore) {
	}

	record TypeList(List<EventType> data) {
	}

	record EventType(String type, String description) {
	}

}
