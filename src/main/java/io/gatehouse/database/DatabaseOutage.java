package io.gatehouse.database;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure to reach the database (down, restarting, failing over, the pool out of connections) from every
 * other error. Such a request did not fail because of what the client sent nor because of a bug: it is answered
 * 503 with {@link #RETRY_AFTER}, and the same request succeeds once the database is back (nothing of it was
 * written: the transaction never committed).
 */
public final class DatabaseOutage {

	/** What the answer asks the client to wait: about what a PostgreSQL restart or a pool's reconnect takes. */
	public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private DatabaseOutage() {
	}

	/** Whether {@code failure} or one of its causes says the database could not be reached. */
	public static boolean causedBy(@Nullable Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataAccessResourceFailureException || cause instanceof CannotCreateTransactionException
					|| cause instanceof SQLTransientConnectionException
					|| cause instanceof SQLNonTransientConnectionException || cause instanceof SQLRecoverableException
					|| cause instanceof SQLException sql && lostConnection(sql.getSQLState())) {
				return true;
			}
			if (cause.getCause() == cause) {
				return false;
			}
		}
		return false;
	}

	/**
	 * SQLSTATE class 08 (connection exception) and PostgreSQL's 57P01-57P03 (the server shutting down, crashed or not
	 * accepting connections yet), as PostgreSQL's driver reports a connection lost in the middle of a statement.
	 */
	private static boolean lostConnection(@Nullable String state) {
		return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
				|| state.equals("57P03"));
	}

}
