package io.gatehouse.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.database.BulkChanges;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells every node that something changed, so that what they cache about it is dropped. A module that changes a row
 * others may cache calls {@link #publish} inside the transaction that changes it; after the commit every node,
 * this one included, receives a {@link ChangeSignal} event; after a rollback nobody does.
 * <ul>
 * <li>On this node the event is published in the committing thread right after the commit, so the answer to the
 * request that made the change already reflects it.</li>
 * <li>On PostgreSQL the same transaction runs {@code pg_notify}; PostgreSQL delivers notifications only on commit,
 * in commit order, to every node listening (see {@link PostgresChangeListener}): in practice within milliseconds, and
 * within {@link #STALENESS_BOUND} as promised.</li>
 * <li>On the embedded H2 there is only one node (H2 locks its file), so the local event is all there is.</li>
 * </ul>
 * A {@link BulkChanges bulk change} sends one signal for the whole transaction, {@link SignalsLost}.
 * Caches made by {@link #cache} are dropped whole on {@link SignalsLost}, and read through to the database while
 * {@link #trusted()} is false.
 */
@Component
public class ChangeSignals {

	/** The longest a node may serve something from a cache after another node committed a change to it. */
	public static final Duration STALENESS_BOUND = Duration.ofSeconds(1);

	static final String CHANNEL = "gatehouse_changes";

	/** The payload of the signal of a bulk change: not a topic (it has no ':'), so no topic can be mistaken for it. */
	static final String EVERYTHING = "*";

	/** Bound to a bulk change's transaction once its one signal is on its way. */
	private static final Object BULK_SIGNAL_SENT = new Object();

	static final SignalsLost EVERYTHING_CHANGED = new SignalsLost("a bulk change (a configuration was applied)");

	private final ApplicationEventPublisher events;

	private final JdbcClient jdbc;

	private final @Nullable PostgresChangeListener listener;

	private final List<InvalidatingCache<?, ?>> caches = new CopyOnWriteArrayList<>();

	ChangeSignals(ApplicationEventPublisher events, JdbcClient jdbc, DataSource dataSource, Environment environment) {
		this.events = events;
		this.jdbc = jdbc;
		this.listener = environment.getProperty("spring.datasource.url", "").startsWith("jdbc:postgresql:")
				? new PostgresChangeListener(PostgresChangeListener.connections(dataSource), events::publishEvent)
				: null;
	}

	/**
	 * Signals, once the current transaction commits (at once without one), that {@code key} of {@code topic}
	 * changed. The key must not be a secret: use an id, or the hash of a token.
	 */
	public void publish(String topic, String key) {
		if (topic.isEmpty() || topic.indexOf(':') >= 0) {
			throw new IllegalArgumentException("A topic is a non-empty word without ':'");
		}
		if (BulkChanges.active()) {
			publishEverythingChanged();
			return;
		}
		ChangeSignal signal = new ChangeSignal(topic, key);
		if (listener != null) {
			// transactional: PostgreSQL sends it to the other nodes only if and when this transaction commits
			jdbc.sql("select pg_notify(:channel, :payload)")
				.param("channel", CHANNEL)
				.param("payload", signal.payload())
				.query((rs, row) -> row)
				.list();
		}
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					events.publishEvent(signal);
				}
			});
		}
		else {
			events.publishEvent(signal);
		}
	}

	/**
	 * In a {@link BulkChanges bulk change}, every signal of the transaction becomes one: after the commit every node
	 * drops all it caches ({@link SignalsLost}), as if it had missed signals. One {@code pg_notify} instead of one per
	 * row (thousands of them in one transaction), and no node re-reads thousands of rows one by one.
	 */
	private void publishEverythingChanged() {
		if (TransactionSynchronizationManager.hasResource(BULK_SIGNAL_SENT)) {
			return;
		}
		TransactionSynchronizationManager.bindResource(BULK_SIGNAL_SENT, Boolean.TRUE);
		if (listener != null) {
			jdbc.sql("select pg_notify(:channel, :payload)")
				.param("channel", CHANNEL)
				.param("payload", EVERYTHING)
				.query((rs, row) -> row)
				.list();
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				events.publishEvent(EVERYTHING_CHANGED);
			}

			@Override
			public void afterCompletion(int status) {
				TransactionSynchronizationManager.unbindResourceIfPossible(BULK_SIGNAL_SENT);
			}
		});
	}

	/**
	 * Whether caches may answer: false while a PostgreSQL node is not listening for other nodes' signals (starting,
	 * or reconnecting after the connection broke). Always true on the single-node embedded H2.
	 */
	public boolean trusted() {
		return listener == null || listener.listening();
	}

	/**
	 * A cache that this node drops whole when signals may have been missed and bypasses while they are not
	 * {@link #trusted()}. The owner drops entries on the {@link ChangeSignal}s it cares about.
	 *
	 * @param maxSize the most entries it keeps (least recently used go first)
	 * @param maxAge the longest an entry is kept at all, a backstop only: correctness comes from the signals
	 */
	public <K, V> InvalidatingCache<K, V> cache(long maxSize, Duration maxAge) {
		InvalidatingCache<K, V> cache = new InvalidatingCache<>(
				Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(maxAge).build(), this::trusted);
		caches.add(cache);
		return cache;
	}

	@EventListener
	void dropEverything(SignalsLost lost) {
		caches.forEach(InvalidatingCache::invalidateAll);
	}

	/** For the lifecycle: the PostgreSQL listener, or null on H2. */
	@Nullable PostgresChangeListener listener() {
		return listener;
	}

}
