package io.gatehouse.usage;

import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Tokens issued on this node and not yet written, per client, grant type and hour. Counting is a map lookup and a
 * {@link LongAdder} increment: no lock, no I/O. {@link #drain} takes the counts with {@link LongAdder#sumThenReset},
 * which swaps each cell for zero atomically, so an increment racing with it is counted by this drain or by the next,
 * never by both or neither.
 */
final class UsageCounter {

	static final long HOUR_MILLIS = 3_600_000;

	/** One bucket: {@code hour} is hours since the epoch. */
	record Key(String clientId, UsageGrantType grant, long hour) {
	}

	private final ConcurrentMap<Key, LongAdder> counts = new ConcurrentHashMap<>();

	private final Clock clock;

	UsageCounter(Clock clock) {
		this.clock = clock;
	}

	void increment(String clientId, UsageGrantType grant) {
		Key key = new Key(clientId, grant, clock.millis() / HOUR_MILLIS);
		LongAdder adder = counts.get(key);
		if (adder == null) {
			adder = counts.computeIfAbsent(key, ignored -> new LongAdder());
		}
		adder.increment();
	}

	/**
	 * The counts since the last drain, without zeros. Buckets of hours before the previous one are dropped from the
	 * map (after a last look), so it holds at most two hours of keys; a request thread would have to stall for an
	 * hour between reading the clock and incrementing to count into a dropped bucket.
	 */
	Map<Key, Long> drain() {
		long oldHour = clock.millis() / HOUR_MILLIS - 1;
		Map<Key, Long> drained = new HashMap<>();
		for (Iterator<Map.Entry<Key, LongAdder>> entries = counts.entrySet().iterator(); entries.hasNext();) {
			Map.Entry<Key, LongAdder> entry = entries.next();
			long count = entry.getValue().sumThenReset();
			if (entry.getKey().hour() < oldHour) {
				entries.remove();
				count += entry.getValue().sumThenReset();
			}
			if (count > 0) {
				drained.put(entry.getKey(), count);
			}
		}
		return drained;
	}

	/** Puts counts back that could not be written, for the next flush. */
	void restore(Map<Key, Long> drained) {
		drained.forEach((key, count) -> counts.computeIfAbsent(key, ignored -> new LongAdder()).add(count));
	}

	/** Counts not written yet, for tests and the last flush's log line. */
	long pending() {
		return counts.values().stream().mapToLong(LongAdder::sum).sum();
	}

}
