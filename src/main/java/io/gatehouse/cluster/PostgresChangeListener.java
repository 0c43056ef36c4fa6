package io.gatehouse.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens, on a connection of its own, for the change signals every node sends through {@code pg_notify}, and
 * publishes each as a {@link ChangeSignal} event on this node. PostgreSQL queues notifications per listening session
 * and delivers them in commit order, so nothing is missed while the session lives. When it breaks (the database
 * restarted, a network fault, {@code pg_terminate_backend}) signals can be missed: the listener reports
 * {@link SignalsLost} at once, so caches are dropped and bypassed, reconnects with backoff, and reports
 * {@link SignalsLost} again once it listens, for anything cached from the database in between.
 * <p>
 * A session that dies silently (no reset from the network) is caught by a round trip every
 * {@link #HEARTBEAT}: the connection's socket timeout turns a hung round trip into an error.
 */
final class PostgresChangeListener implements Runnable {

	static final Duration HEARTBEAT = Duration.ofMillis(500);

	/** The listening session's {@code application_name}: {@code gatehouse-change-listener <pid>@<host>}. */
	static final String APPLICATION_NAME = "gatehouse-change-listener "
			+ java.lang.management.ManagementFactory.getRuntimeMXBean().getName();

	private static final int WAIT_MILLIS = 250;

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(PostgresChangeListener.class);

	private final ConnectionSource connections;

	private final Consumer<Object> events;

	private volatile boolean listening;

	private volatile boolean stopped;

	private volatile Connection current;

	PostgresChangeListener(ConnectionSource connections, Consumer<Object> events) {
		this.connections = connections;
		this.events = events;
	}

	boolean listening() {
		return listening;
	}

	@Override
	public void run() {
		Duration backoff = Duration.ofMillis(100);
		while (!stopped) {
			try (Connection connection = connections.open()) {
				current = connection;
				try (Statement statement = connection.createStatement()) {
					statement.execute("listen " + ChangeSignals.CHANNEL);
				}
				listening = true;
				backoff = Duration.ofMillis(100);
				events.accept(new SignalsLost("listening for other nodes' changes"));
				listen(connection);
			}
			catch (SQLException | RuntimeException ex) {
				if (stopped) {
					return;
				}
				boolean wasListening = listening;
				listening = false;
				if (wasListening) {
					logger.warn("Lost the connection that carries other nodes' changes (" + ex.getMessage()
							+ "); caches are bypassed until it is back");
				}
				events.accept(new SignalsLost("the listening connection broke"));
				sleep(backoff);
				backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
			}
			finally {
				listening = false;
				current = null;
			}
		}
	}

	private void listen(Connection connection) throws SQLException {
		PGConnection postgres = connection.unwrap(PGConnection.class);
		long nextHeartbeat = System.nanoTime() + HEARTBEAT.toNanos();
		while (!stopped) {
			PGNotification[] notifications = postgres.getNotifications(WAIT_MILLIS);
			if (notifications != null) {
				for (PGNotification notification : notifications) {
					String payload = notification.getParameter();
					events.accept(ChangeSignals.EVERYTHING.equals(payload) ? ChangeSignals.EVERYTHING_CHANGED
							: ChangeSignal.parse(payload));
				}
			}
			if (System.nanoTime() - nextHeartbeat > 0) {
				try (Statement statement = connection.createStatement()) {
					statement.execute("select 1");
				}
				nextHeartbeat = System.nanoTime() + HEARTBEAT.toNanos();
			}
		}
	}

	/** The server process of the listening session, or 0 while there is none (for tests that break it). */
	int backendPid() throws SQLException {
		Connection connection = current;
		return connection == null || !listening ? 0 : connection.unwrap(PGConnection.class).getBackendPID();
	}

	void stop() {
		stopped = true;
		Connection connection = current;
		if (connection != null) {
			try {
				connection.close();
			}
			catch (SQLException ex) {
				// stopping anyway
			}
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Opens the listening connection: outside the pool, which must not lose a connection to a listener forever. */
	interface ConnectionSource {

		Connection open() throws SQLException;

	}

	static ConnectionSource connections(DataSource dataSource) {
		if (dataSource instanceof HikariDataSource pool) {
			return () -> {
				java.util.Properties properties = new java.util.Properties();
				if (pool.getUsername() != null) {
					properties.setProperty("user", pool.getUsername());
				}
				if (pool.getPassword() != null) {
					properties.setProperty("password", pool.getPassword());
				}
				// a hung round trip fails the heartbeat within seconds instead of blocking the listener
				properties.setProperty("socketTimeout", "5");
				properties.setProperty("connectTimeout", "5");
				properties.setProperty("tcpKeepAlive", "true");
				// which node listens, for an operator (and a test) reading pg_stat_activity: host and process
				properties.setProperty("ApplicationName", APPLICATION_NAME);
				return DriverManager.getConnection(pool.getJdbcUrl(), properties);
			};
		}
		return dataSource::getConnection;
	}

}
