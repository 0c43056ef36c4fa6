package io.gatehouse.audit;

import java.util.List;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Records {@link AuditableChange} events and answers "what happened to this record". Listening with a plain
 * {@link EventListener} keeps the record in the publisher's transaction: if the change rolls back, so does its record.
 */
@Service
public class AuditLog {

	private final JdbcAuditRepository repository;

	AuditLog(JdbcAuditRepository repository) {
		this.repository = repository;
	}

	@EventListener
	void on(AuditableChange change) {
		repository.insert(change);
	}

	/** The subject's history, newest first, at most {@code limit} entries. */
	public List<AuditRecord> historyOf(String subjectType, String subjectId, int limit) {
		return repository.findBySubject(subjectType, subjectId, limit);
	}

}
