package io.gatehouse.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Tokens issued per bucket (an hour or a day, UTC) and grant type, oldest bucket first. Every bucket of the window is
 * present, empty ones as zeros; grant types without a token in the window are left out.
 *
 * @param starts each bucket's start
 * @param step each bucket's length
 * @param counts per grant type, one count per bucket (same order as {@code starts}), in the enum's order
 */
public record UsageSeries(List<Instant> starts, Duration step, Map<UsageGrantType, long[]> counts) {

	public UsageSeries {
		starts = List.copyOf(starts);
		EnumMap<UsageGrantType, long[]> copy = new EnumMap<>(UsageGrantType.class);
		counts.forEach((grant, values) -> copy.put(grant, values.clone()));
		counts = Collections.unmodifiableMap(copy);
	}

	/** Sums cells into the buckets of {@code [since, since + buckets * step)}; cells outside are ignored. */
	static UsageSeries of(Instant since, Duration step, int buckets, List<JdbcTokenUsageRepository.Cell> cells) {
		Instant[] starts = new Instant[buckets];
		for (int i = 0; i < buckets; i++) {
			starts[i] = since.plus(step.multipliedBy(i));
		}
		Map<UsageGrantType, long[]> counts = new EnumMap<>(UsageGrantType.class);
		long stepMillis = step.toMillis();
		for (JdbcTokenUsageRepository.Cell cell : cells) {
			long index = Math.floorDiv(cell.start().toEpochMilli() - since.toEpochMilli(), stepMillis);
			if (index >= 0 && index < buckets && cell.count() > 0) {
				counts.computeIfAbsent(cell.grant(), grant -> new long[buckets])[(int) index] += cell.count();
			}
		}
		return new UsageSeries(Arrays.asList(starts), step, counts);
	}

	public int size() {
		return starts.size();
	}

	/** The tokens of every grant type in bucket {@code index}. */
	public long totalAt(int index) {
		return counts.values().stream().mapToLong(values -> values[index]).sum();
	}

	/** The tokens of the whole window. */
	public long total() {
		return counts.values().stream().flatMapToLong(Arrays::stream).sum();
	}

	/** The tokens of one grant type in the whole window; 0 when it has none. */
	public long totalOf(UsageGrantType grant) {
		long[] values = counts.get(grant);
		return values == null ? 0 : Arrays.stream(values).sum();
	}

}
