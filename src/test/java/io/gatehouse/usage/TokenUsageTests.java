package io.gatehouse.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.gatehouse.support.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The usage counter as nodes run it: real threads counting while flushes run, and two counters ("nodes") on one
 * database adding to the same hour's rows at once. Run on H2 and PostgreSQL by the subclasses; nothing runs in a test
 * transaction, so each flush commits as it would on a node.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
abstract class TokenUsageTests {

	private static final int THREADS = 8;

	private static final int PER_THREAD = 20_000;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlatformTransactionManager transactions;

	private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.HOURS)
		.plus(Duration.ofMinutes(30)));

	private String client;

	@BeforeEach
	void newClient() {
		client = "client-" + UUID.randomUUID();
	}

	private TokenUsage node() {
		return new TokenUsage(new JdbcTokenUsageRepository(JdbcClient.create(dataSource),
				new NamedParameterJdbcTemplate(dataSource)), transactions, clock);
	}

	private long stored(UsageGrantType grant) {
		return jdbc.sql("""
				select coalesce(sum(token_count), 0) from token_usage where client_id = :c and grant_type = :g
				""")
			.param("c", client).param("g", grant.key()).query(Long.class).single();
	}

	@Test
	void recordWhenThreadsCountWhileFlushesRunThenEveryTokenStoredOnce() throws Exception {
		TokenUsage usage = node();
		ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
		CyclicBarrier start = new CyclicBarrier(THREADS + 1);
		AtomicBoolean counting = new AtomicBoolean(true);
		try {
			List<Future<?>> counters = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				counters.add(pool.submit(() -> {
					start.await();
					for (int i = 0; i < PER_THREAD; i++) {
						usage.record(client, i % 4 == 0 ? UsageGrantType.REFRESH_TOKEN
								: UsageGrantType.CLIENT_CREDENTIALS);
					}
					return null;
				}));
			}
			Future<Integer> flusher = pool.submit(() -> {
				start.await();
				int flushes = 0;
				while (counting.get()) {
					usage.flush();
					flushes++;
				}
				return flushes;
			});
			for (Future<?> counter : counters) {
				counter.get(2, TimeUnit.MINUTES);
			}
			counting.set(false);
			assertThat(flusher.get(2, TimeUnit.MINUTES)).isPositive();
		}
		finally {
			pool.shutdownNow();
		}
		usage.flush();

		assertThat(usage.pending()).isZero();
		assertThat(stored(UsageGrantType.CLIENT_CREDENTIALS)).isEqualTo(THREADS * PER_THREAD * 3L / 4);
		assertThat(stored(UsageGrantType.REFRESH_TOKEN)).isEqualTo(THREADS * PER_THREAD / 4L);
		assertThat(usage.lastDaysOf(client, 30).total()).isEqualTo((long) THREADS * PER_THREAD);
	}

	@Test
	void flushWhenTwoNodesFlushTheSameNewHourAtOnceThenTheirCountsAddUp() throws Exception {
		for (int round = 0; round < 10; round++) {
			clock.advance(Duration.ofHours(1));
			TokenUsage first = node();
			TokenUsage second = node();
			for (int i = 0; i < 300; i++) {
				first.record(client, UsageGrantType.CLIENT_CREDENTIALS);
				second.record(client, UsageGrantType.CLIENT_CREDENTIALS);
				second.record(client, UsageGrantType.PASSWORD);
			}
			CyclicBarrier together = new CyclicBarrier(2);
			ExecutorService pool = Executors.newFixedThreadPool(2);
			try {
				Future<?> a = pool.submit(() -> {
					together.await();
					first.flush();
					return null;
				});
				Future<?> b = pool.submit(() -> {
					together.await();
					second.flush();
					return null;
				});
				a.get(1, TimeUnit.MINUTES);
				b.get(1, TimeUnit.MINUTES);
			}
			finally {
				pool.shutdownNow();
			}
			assertThat(first.pending()).isZero();
			assertThat(second.pending()).isZero();
		}
		assertThat(stored(UsageGrantType.CLIENT_CREDENTIALS)).isEqualTo(10 * 600L);
		assertThat(stored(UsageGrantType.PASSWORD)).isEqualTo(10 * 300L);
		assertThat(jdbc.sql("select count(*) from token_usage where client_id = :c").param("c", client)
			.query(Long.class).single()).isEqualTo(20);
	}

	@Test
	void flushWhenCountsSpanHoursThenEachHourHasItsRowAndTheSeriesPutsThemInTheirBuckets() {
		TokenUsage usage = node();
		usage.record(client, UsageGrantType.AUTHORIZATION_CODE);
		clock.advance(Duration.ofHours(1));
		usage.record(client, UsageGrantType.AUTHORIZATION_CODE);
		usage.record(client, UsageGrantType.DEVICE_CODE);
		usage.flush();
		usage.record(client, UsageGrantType.DEVICE_CODE);
		usage.flush();

		assertThat(stored(UsageGrantType.AUTHORIZATION_CODE)).isEqualTo(2);
		assertThat(stored(UsageGrantType.DEVICE_CODE)).isEqualTo(2);
		UsageSeries days = usage.lastDaysOf(client, 30);
		assertThat(days.size()).isEqualTo(30);
		assertThat(days.total()).isEqualTo(4);
		assertThat(days.totalOf(UsageGrantType.DEVICE_CODE)).isEqualTo(2);
		assertThat(usage.topClients(30, 100)).contains(new ClientUsage(client, 4));
	}

	@Test
	void retentionWhenRowsOlderThanItThenOnlyThoseDeleted() {
		TokenUsage usage = node();
		usage.record(client, UsageGrantType.PASSWORD);
		usage.flush();
		clock.advance(Duration.ofDays(31));
		usage.record(client, UsageGrantType.PASSWORD);
		usage.flush();

		new UsageRetention(new JdbcTokenUsageRepository(jdbc, new NamedParameterJdbcTemplate(dataSource)),
				new UsageSettings(Duration.ofDays(30)), clock).deleteExpired();

		assertThat(stored(UsageGrantType.PASSWORD)).isEqualTo(1);
	}

}
