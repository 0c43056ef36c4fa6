package io.gatehouse.audit;

import java.time.Clock;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes audit records older than the retention ({@link AuditSettings}), every hour on every node, in batches of
 * {@link #BATCH} rows, a short transaction each: no long lock on the table, and a node that stops midway leaves
 * nothing half done. Each batch holds the cleanup lock row, so nodes take turns instead of deleting the same rows.
 */
@Component
class AuditRetention {

	static final int BATCH = 10_000;

	private static final Log logger = LogFactory.getLog(AuditRetention.class);

	private final JdbcAuditRepository repository;

	private final TransactionTemplate transactions;

	private final AuditSettings settings;

	private final Clock clock;

	AuditRetention(JdbcAuditRepository repository, PlatformTransactionManager transactionManager,
			AuditSettings settings, ObjectProvider<Clock> clock) {
		this.repository = repository;
		this.transactions = new TransactionTemplate(transactionManager);
		this.settings = settings;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
	}

	@Scheduled(fixedDelay = 3_600_000, initialDelay = 120_000)
	void scheduledCleanup() {
		try {
			deleteExpired();
		}
		catch (RuntimeException ex) {
			// the next run picks up where this one stopped
			logger.warn("Could not delete expired audit records: " + ex.getMessage());
		}
	}

	/** Deletes every record older than the retention, batch by batch; returns how many. */
	long deleteExpired() {
		Instant cutoff = clock.instant().minus(settings.retention());
		long total = 0;
		int deleted;
		do {
			Integer batch = transactions.execute(status -> repository.deleteOlderThan(cutoff, BATCH));
			deleted = batch == null ? 0 : batch;
			total += deleted;
		}
		while (deleted == BATCH);
		if (total > 0) {
			logger.info("Deleted " + total + " audit record(s) older than " + settings.retention());
		}
		return total;
	}

}
