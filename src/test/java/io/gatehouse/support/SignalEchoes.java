package io.gatehouse.support;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.gatehouse.cluster.ChangeSignal;
import io.gatehouse.cluster.ChangeSignals;

import org.springframework.boot.test.context.TestComponent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * On PostgreSQL a node hears its own signals twice: at once in the committing thread, and again, later, from its
 * listening connection. A test that asserts a cache is used (a second read does not reach the database) must not
 * have that late echo of its own setup drop the cache in the middle: {@link #awaitEchoes()} returns once every signal
 * published so far has come back. PostgreSQL delivers notifications in commit order, so a marker published now and
 * heard from the listener means all earlier ones were heard too. On H2 there is no echo and nothing to wait for.
 */
@TestComponent
public class SignalEchoes {

	private static final String TOPIC = "test-echo";

	private final ChangeSignals signals;

	private final boolean postgres;

	private final Set<String> heardFromListener = ConcurrentHashMap.newKeySet();

	public SignalEchoes(ChangeSignals signals, Environment environment) {
		this.signals = signals;
		this.postgres = environment.getProperty("spring.datasource.url", "").startsWith("jdbc:postgresql:");
	}

	@EventListener
	void on(ChangeSignal signal) {
		if (signal.is(TOPIC) && !Thread.currentThread().getName().equals(signal.key().split("@", 2)[0])) {
			heardFromListener.add(signal.key());
		}
	}

	/** Returns once this node has heard back every signal published before the call. */
	public void awaitEchoes() throws InterruptedException {
		if (!postgres) {
			return;
		}
		String marker = Thread.currentThread().getName() + "@" + UUID.randomUUID();
		signals.publish(TOPIC, marker);
		long deadline = System.nanoTime() + ChangeSignals.STALENESS_BOUND.multipliedBy(10).toNanos();
		while (!heardFromListener.contains(marker)) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("no echo of " + marker + " within " + Duration.ofNanos(
						ChangeSignals.STALENESS_BOUND.multipliedBy(10).toNanos()));
			}
			Thread.sleep(5);
		}
	}

}
