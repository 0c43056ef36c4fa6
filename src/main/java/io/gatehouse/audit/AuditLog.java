package io.gatehouse.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.gatehouse.database.BulkChanges;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records {@link AuditableChange} events and answers "what happened to this record" and "what happened". Listening
 * with a plain {@link EventListener} keeps the record in the publisher's transaction: if the change rolls back, so
 * does its record. A change made outside a transaction (a sign-in) gets one of its own. Each record written is
 * published as {@link AuditRecorded}, in the same transaction. In a {@link BulkChanges bulk change} the records are
 * gathered and written in batches just before the commit.
 */
@Service
public class AuditLog {

	/** Bound to a bulk change's transaction: the records it published, to write before it commits. */
	private static final Object PENDING = new Object();

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
		if (BulkChanges.active()) {
			pending().add(change);
		}
		else {
			record(change);
		}
	}

	/**
	 * The records a bulk change gathered so far; on the first, registers their writing just before the commit (in the
	 * transaction: a rollback, a dry run included, leaves none), in batches and in the order they were published.
	 */
	private List<AuditableChange> pending() {
		@SuppressWarnings("unchecked")
		List<AuditableChange> pending = (List<AuditableChange>) TransactionSynchronizationManager.getResource(PENDING);
		if (pending != null) {
			return pending;
		}
		List<AuditableChange> gathered = new ArrayList<>();
		TransactionSynchronizationManager.bindResource(PENDING, gathered);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void beforeCommit(boolean readOnly) {
				TransactionSynchronizationManager.unbindResource(PENDING);
				repository.insertAll(gathered).forEach(record -> events.publishEvent(new AuditRecorded(record)));
			}

			@Override
			public void afterCompletion(int status) {
				TransactionSynchronizationManager.unbindResourceIfPossible(PENDING);
			}
		});
		return gathered;
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
