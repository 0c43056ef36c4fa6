package io.gatehouse.cluster;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Caffeine;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InvalidatingCacheTests {

	private final AtomicBoolean trusted = new AtomicBoolean(true);

	private final InvalidatingCache<String, String> cache = new InvalidatingCache<>(
			Caffeine.newBuilder().maximumSize(100).expireAfterWrite(Duration.ofMinutes(1)).build(), trusted::get);

	@Test
	void getWhenLoadedOnceThenServedFromCacheUntilInvalidated() {
		AtomicInteger loads = new AtomicInteger();
		assertThat(cache.get("a", key -> "v" + loads.incrementAndGet())).isEqualTo("v1");
		assertThat(cache.get("a", key -> "v" + loads.incrementAndGet())).isEqualTo("v1");
		cache.invalidate("a");
		assertThat(cache.get("a", key -> "v" + loads.incrementAndGet())).isEqualTo("v2");
		assertThat(loads).hasValue(2);
	}

	@Test
	void getWhenLoaderFindsNothingThenNullAndNothingCached() {
		assertThat(cache.get("missing", key -> null)).isNull();
		assertThat(cache.get("missing", key -> "now there")).isEqualTo("now there");
	}

	@Test
	void getWhenInvalidatedWhileLoadingThenTheStaleLoadIsNotKept() throws Exception {
		CountDownLatch loading = new CountDownLatch(1);
		CountDownLatch invalidated = new CountDownLatch(1);
		// a request reads the old row; meanwhile a change commits and its signal drops the key
		CompletableFuture<String> slowLoad = CompletableFuture.supplyAsync(() -> cache.get("client", key -> {
			loading.countDown();
			await(invalidated);
			return "old";
		}));
		assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();
		cache.invalidate("client");
		invalidated.countDown();

		assertThat(slowLoad.get(5, TimeUnit.SECONDS)).isEqualTo("old");
		assertThat(cache.peek("client")).as("what was read before the change must not be kept").isNull();
		assertThat(cache.get("client", key -> "new")).isEqualTo("new");
	}

	@Test
	void getWhenSignalsNotTrustedThenEveryCallLoadsAndNothingIsKept() {
		cache.get("a", key -> "cached");
		trusted.set(false);
		assertThat(cache.get("a", key -> "fresh")).isEqualTo("fresh");
		assertThat(cache.get("b", key -> "fresh b")).isEqualTo("fresh b");
		trusted.set(true);
		assertThat(cache.peek("b")).isNull();
	}

	@Test
	void invalidateIfWhenValuesMatchThenOnlyThoseDropped() {
		cache.get("t1", key -> "grant-1");
		cache.get("t2", key -> "grant-1");
		cache.get("t3", key -> "grant-2");
		cache.invalidateIf(value -> value.equals("grant-1"));
		assertThat(cache.peek("t1")).isNull();
		assertThat(cache.peek("t2")).isNull();
		assertThat(cache.peek("t3")).isEqualTo("grant-2");
	}

	private static void await(CountDownLatch latch) {
		try {
			assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
