package io.gatehouse.database;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Marks the current transaction as a bulk change (applying a configuration document: thousands of rows in one
 * transaction), so that the side effects every row change has can be gathered for the whole transaction instead of
 * being paid row by row: the audit records are written in batches just before the commit, and the change signals
 * become one "drop everything" signal. What each row change is checked against and records stays the same.
 */
public final class BulkChanges {

	private static final Object KEY = BulkChanges.class;

	private BulkChanges() {
	}

	/** Makes the current transaction a bulk change, until it completes; requires an active transaction. */
	public static void beginInThisTransaction() {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			throw new IllegalStateException("A bulk change needs a transaction");
		}
		if (TransactionSynchronizationManager.hasResource(KEY)) {
			return;
		}
		TransactionSynchronizationManager.bindResource(KEY, Boolean.TRUE);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCompletion(int status) {
				TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
			}
		});
	}

	/** Whether the current thread runs inside a bulk change's transaction. */
	public static boolean active() {
		return TransactionSynchronizationManager.isSynchronizationActive()
				&& TransactionSynchronizationManager.hasResource(KEY);
	}

}
