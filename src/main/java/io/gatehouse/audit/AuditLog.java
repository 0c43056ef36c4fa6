package io.gatehouse.audit;

import java.time.Instant;
import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records {@link AuditableChange} events and answers "what happened to this record" and "what happened". Listening
 * with a plain {@link EventListener} keeps the record in the publisher's transaction: if the change rolls back, so
 * does its record. A change made outside a transaction (a sign-in) gets one of its own. Each record written is
 * published as {@link AuditRecorded}, in the same transaction.
 */
@Service
public class AuditLog {

	private final JdbcAuditRepository repository;

	private final TransactionTemplate transactions;

	private final ApplicationEventPublisher events;

	AuditLog(JdbcAuditRepository repository, PlatformTransactionManager transactionManager,
			ApplicationEventPublisher events) {
		this.repository = repository;
		this.transactions = new TransactionTemplate(transactionManager);
		this.events = events;
	}

	@EventListener
	void on(AuditableChange change) {
		record(change);
	}

	/**
	 * Writes the record, in the caller's transaction or else in one of its own, and publishes {@link AuditRecorded}
	 * in that transaction.
	 */
	AuditRecord record(AuditableChange change) {
		return transactions.execute(status -> {
			AuditRecord record = repository.insert(change);
			events.publishEvent(new AuditRecorded(record));
			return record;
		});
	}

	/** The subject's history, newest first, at most {@code limit} entries. */
	public List<AuditRecord> historyOf(String subjectType, String subjectId, int limit) {
		return repository.findBySubject(subjectType, subjectId, limit);
	}

	/**
	 * Sign-in failures recorded since {@code since}: failed attempts (wrong password, unknown username, inactive
	 * account) and the accounts that were throttled. Counts what the log holds; failures beyond its budget are only
	 * summarised ({@code sign_in.failures_suppressed}) and not included.
	 */
	public SignInFailures signInFailuresSince(Instant since) {
		long failed = repository.countSince("sign_in.failed", since)[0];
		long throttledAccounts = repository.countSince("sign_in.throttled", since)[1];
		return new SignInFailures(failed, throttledAccounts);
	}

	/** One page of the records the query selects, newest first. */
	public AuditPage search(AuditQuery query) {
		return repository.search(query);
	}

}
