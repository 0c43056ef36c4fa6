package io.gatehouse.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.gatehouse.database.BulkChanges;
import io.gatehouse.support.PostgresTestDatabase;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Change signals as nodes see them: on H2 in-process after the commit; on a real PostgreSQL through LISTEN/NOTIFY to
 * every listening node, including after the listening connection was killed.
 */
class ChangeSignalsTests {

	private final List<AutoCloseable> closing = new java.util.ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable resource : closing) {
			resource.close();
		}
	}

	@Test
	void publishWhenTransactionCommitsThenThisNodeHearsItAfterTheCommitOnly() throws Exception {
		Node node = node(h2(), "jdbc:h2:mem:signals");
		node.transaction.executeWithoutResult(status -> {
			node.signals.publish("client", "c1");
			assertThat(node.events).as("nothing before the commit").isEmpty();
		});
		assertThat(node.events.poll()).isEqualTo(new ChangeSignal("client", "c1"));
		assertThat(node.signals.trusted()).isTrue();
	}

	@Test
	void publishWhenTransactionRollsBackThenNobodyHearsIt() {
		Node node = node(h2(), "jdbc:h2:mem:signals");
		node.transaction.executeWithoutResult(status -> {
			node.signals.publish("client", "c1");
			status.setRollbackOnly();
		});
		assertThat(node.events).isEmpty();
	}

	@Test
	void publishWhenNoTransactionThenHeardAtOnce() {
		Node node = node(h2(), "jdbc:h2:mem:signals");
		node.signals.publish("token", "abc");
		assertThat(node.events).containsExactly(new ChangeSignal("token", "abc"));
	}

	@Test
	void publishOnPostgresWhenCommittedThenEveryOtherNodeHearsItWithinTheBound() throws Exception {
		String url = PostgresTestDatabase.newDatabase();
		Node a = listening(node(postgres(url), url));
		Node b = listening(node(postgres(url), url));

		a.transaction.executeWithoutResult(status -> {
			a.signals.publish("client", "c1");
			sleep(Duration.ofMillis(300));
			assertThat(b.events).as("node B hears nothing before A commits").isEmpty();
		});

		assertThat(b.events.poll(ChangeSignals.STALENESS_BOUND.toMillis(), TimeUnit.MILLISECONDS))
			.isEqualTo(new ChangeSignal("client", "c1"));
		assertThat(a.nextSignal()).as("A hears its own change at once").isEqualTo(new ChangeSignal("client", "c1"));
	}

	@Test
	void publishOnPostgresWhenRolledBackThenNoOtherNodeHearsIt() throws Exception {
		String url = PostgresTestDatabase.newDatabase();
		Node a = listening(node(postgres(url), url));
		Node b = listening(node(postgres(url), url));
		a.transaction.executeWithoutResult(status -> {
			a.signals.publish("client", "c1");
			status.setRollbackOnly();
		});
		a.signals.publish("marker", "after");
		assertThat(b.nextSignal()).as("the first thing B hears is the later signal").isEqualTo(
				new ChangeSignal("marker", "after"));
	}

	@Test
	void publishInBulkChangeWhenCommittedThenThisNodeHearsOneDropEverythingAfterTheCommit() {
		Node node = node(h2(), "jdbc:h2:mem:signals");
		node.transaction.executeWithoutResult(status -> {
			BulkChanges.beginInThisTransaction();
			for (int i = 0; i < 1000; i++) {
				node.signals.publish("client", "c" + i);
			}
			assertThat(node.events).as("nothing before the commit").isEmpty();
		});
		assertThat(node.events).containsExactly(ChangeSignals.EVERYTHING_CHANGED);
		node.transaction.executeWithoutResult(status -> node.signals.publish("client", "after"));
		assertThat(node.events).as("the next transaction is not a bulk change").endsWith(
				new ChangeSignal("client", "after"));
	}

	@Test
	void publishOnPostgresInBulkChangeWhenCommittedThenOneNotifyAndOtherNodesDropEverything() throws Exception {
		String url = PostgresTestDatabase.newDatabase();
		Node a = listening(node(postgres(url), url));
		Node b = listening(node(postgres(url), url));

		a.transaction.executeWithoutResult(status -> {
			BulkChanges.beginInThisTransaction();
			for (int i = 0; i < 1000; i++) {
				a.signals.publish("client", "c" + i);
			}
		});
		a.signals.publish("marker", "after");

		assertThat(b.events.poll(ChangeSignals.STALENESS_BOUND.toMillis(), TimeUnit.MILLISECONDS))
			.isEqualTo(ChangeSignals.EVERYTHING_CHANGED);
		assertThat(b.nextSignal()).as("one notification for the bulk change, then the next signal")
			.isEqualTo(new ChangeSignal("marker", "after"));
	}

	@Test
	void listenerWhenConnectionKilledThenCachesDroppedBypassedAndSignalsFlowAgainAfterReconnect() throws Exception {
		String url = PostgresTestDatabase.newDatabase();
		Node a = listening(node(postgres(url), url));
		Node b = listening(node(postgres(url), url));
		InvalidatingCache<String, String> cache = b.signals.cache(10, Duration.ofMinutes(1));
		cache.get("k", key -> "cached before the break");

		int pid = b.listener().backendPid();
		JdbcClient.create(a.dataSource).sql("select pg_terminate_backend(:pid)").param("pid", pid).query().listOfRows();

		// whatever B had cached may miss a change made while it was not listening: dropped at once
		Object lost = b.events.poll(5, TimeUnit.SECONDS);
		assertThat(lost).isInstanceOf(SignalsLost.class);
		b.signals.dropEverything((SignalsLost) lost);
		assertThat(cache.peek("k")).isNull();

		awaitListening(b);
		a.signals.publish("client", "after-reconnect");
		assertThat(b.nextSignal()).isEqualTo(new ChangeSignal("client", "after-reconnect"));
	}

	private Node listening(Node node) throws InterruptedException {
		Thread thread = new Thread(node.listener(), "test-listener");
		thread.setDaemon(true);
		thread.start();
		closing.add(() -> node.listener().stop());
		awaitListening(node);
		return node;
	}

	private static void awaitListening(Node node) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!node.signals.trusted() && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(node.signals.trusted()).as("listening").isTrue();
		// the "now listening" notice that follows every (re)connect
		Object notice = node.events.poll(5, TimeUnit.SECONDS);
		assertThat(notice).isInstanceOf(SignalsLost.class);
	}

	private Node node(javax.sql.DataSource dataSource, String url) {
		BlockingQueue<Object> events = new LinkedBlockingQueue<>();
		MockEnvironment environment = new MockEnvironment().withProperty("spring.datasource.url", url);
		ChangeSignals signals = new ChangeSignals(events::add, JdbcClient.create(dataSource), dataSource, environment);
		return new Node(signals, events, new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
				dataSource);
	}

	private JdbcDataSource h2() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:mem:signals-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		return dataSource;
	}

	private HikariDataSource postgres(String url) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url);
		dataSource.setUsername(PostgresTestDatabase.USER);
		dataSource.setPassword(PostgresTestDatabase.PASSWORD);
		dataSource.setMaximumPoolSize(2);
		closing.add(dataSource);
		return dataSource;
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Node(ChangeSignals signals, BlockingQueue<Object> events, TransactionTemplate transaction,
			javax.sql.DataSource dataSource) {

		PostgresChangeListener listener() {
			return java.util.Objects.requireNonNull(signals.listener());
		}

		/** The next change signal, skipping connection notices; fails after the staleness bound. */
		ChangeSignal nextSignal() throws InterruptedException {
			long deadline = System.nanoTime() + ChangeSignals.STALENESS_BOUND.toNanos();
			while (true) {
				Object event = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				assertThat(event).as("a signal within %s", ChangeSignals.STALENESS_BOUND).isNotNull();
				if (event instanceof ChangeSignal signal) {
					return signal;
				}
			}
		}

	}

}
