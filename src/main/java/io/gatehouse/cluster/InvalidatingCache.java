package io.gatehouse.cluster;

import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import org.jspecify.annotations.Nullable;

/**
 * A bounded cache that never keeps what a change signal dropped: made by {@link ChangeSignals#cache}.
 * <p>
 * The hard case is a load that races an invalidation: a request reads a row, another node changes it and the signal
 * drops the (still empty) entry, then the first request stores what it read, which is now stale and would stay so.
 * So every invalidation advances an epoch, and a loaded value is stored only if no invalidation happened since its
 * load began; the check and the store are atomic with respect to invalidations. Misses are the rare path (a lock is
 * taken only there and on invalidation); hits are a plain concurrent map read.
 */
public final class InvalidatingCache<K, V> {

	private final Cache<K, V> entries;

	private final BooleanSupplier trusted;

	private final Object lock = new Object();

	private long epoch;

	InvalidatingCache(Cache<K, V> entries, BooleanSupplier trusted) {
		this.entries = entries;
		this.trusted = trusted;
	}

	/**
	 * The cached value, or the loader's. A null from the loader (nothing found) is returned and not cached. While
	 * signals are not trusted, the loader answers every call and nothing is stored.
	 */
	public @Nullable V get(K key, Function<K, @Nullable V> loader) {
		if (!trusted.getAsBoolean()) {
			return loader.apply(key);
		}
		V cached = entries.getIfPresent(key);
		if (cached != null) {
			return cached;
		}
		long before;
		synchronized (lock) {
			before = epoch;
		}
		V loaded = loader.apply(key);
		if (loaded != null) {
			synchronized (lock) {
				if (epoch == before && trusted.getAsBoolean()) {
					entries.put(key, loaded);
				}
			}
		}
		return loaded;
	}

	/** The cached value, without loading; null when absent. */
	public @Nullable V peek(K key) {
		return trusted.getAsBoolean() ? entries.getIfPresent(key) : null;
	}

	public void invalidate(K key) {
		synchronized (lock) {
			epoch++;
			entries.invalidate(key);
		}
	}

	/** Drops every entry whose value matches, for signals that name something many entries depend on. */
	public void invalidateIf(Predicate<V> matches) {
		synchronized (lock) {
			epoch++;
			entries.asMap().values().removeIf(matches);
		}
	}

	public void invalidateAll() {
		synchronized (lock) {
			epoch++;
			entries.invalidateAll();
		}
	}

	public long size() {
		return entries.estimatedSize();
	}

}
