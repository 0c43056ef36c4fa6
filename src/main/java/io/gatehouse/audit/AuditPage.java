package io.gatehouse.audit;

import java.util.List;

/**
 * One page of the audit log, newest first. It says whether another page follows instead of counting the records:
 * counting a million matching rows would cost more than reading the page.
 */
public record AuditPage(List<AuditRecord> rows, int page, int perPage, boolean hasNext) {

	public AuditPage {
		rows = List.copyOf(rows);
	}

	public boolean hasPrevious() {
		return page > 1;
	}

}
