package io.gatehouse.oauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/** Single use of client assertions (RFC 7523 3), in the database; run on H2 and on PostgreSQL by the subclasses. */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import(ClientAssertionReplays.class)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
abstract class ClientAssertionReplaysTests {

	@Autowired
	ClientAssertionReplays replays;

	@Autowired
	JdbcClient jdbc;

	final Instant now = Instant.parse("2026-12-02T01:00:00Z");

	@BeforeEach
	void empty() {
		jdbc.sql("delete from oauth_client_assertion").update();
	}

	@Test
	void firstUseWhenJtiNewThenAcceptedAndWhenSeenAgainThenRefused() {
		assertThat(replays.firstUse("client-a", "jti-1", now.plusSeconds(120), now)).isTrue();
		assertThat(replays.firstUse("client-a", "jti-1", now.plusSeconds(120), now.plusSeconds(5))).isFalse();
		assertThat(jdbc.sql("select jti_hash from oauth_client_assertion").query(String.class).single())
			.hasSize(64)
			.isNotEqualTo("jti-1");
	}

	@Test
	void firstUseWhenSameJtiFromAnotherClientThenAccepted() {
		assertThat(replays.firstUse("client-a", "jti-1", now.plusSeconds(120), now)).isTrue();
		assertThat(replays.firstUse("client-b", "jti-1", now.plusSeconds(120), now)).isTrue();
	}

	@Test
	void firstUseWhenEarlierAssertionWithThatJtiExpiredThenAccepted() {
		assertThat(replays.firstUse("client-a", "jti-1", now.plusSeconds(60), now)).isTrue();

		Instant later = now.plusSeconds(61);
		assertThat(replays.firstUse("client-a", "jti-1", later.plusSeconds(60), later)).isTrue();
		assertThat(replays.firstUse("client-a", "jti-1", later.plusSeconds(60), later)).isFalse();
	}

	@Test
	void firstUseWhenPresentedByEightThreadsAtOnceThenExactlyOneAccepted() throws Exception {
		int threads = 8;
		CyclicBarrier start = new CyclicBarrier(threads);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<Boolean>> results = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				results.add(pool.submit(() -> {
					start.await();
					return replays.firstUse("client-race", "jti-race", now.plusSeconds(120), now);
				}));
			}
			int accepted = 0;
			for (Future<Boolean> result : results) {
				accepted += result.get() ? 1 : 0;
			}
			assertThat(accepted).isEqualTo(1);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void cleanupWhenRunThenOnlyExpiredRecordsDeleted() {
		replays.firstUse("client-a", "old", now.plusSeconds(30), now);
		replays.firstUse("client-a", "live", now.plusSeconds(300), now);

		new ClientAssertionCleanup(replays, Clock.fixed(now.plus(Duration.ofMinutes(1)), ZoneOffset.UTC))
			.deleteExpired();

		assertThat(jdbc.sql("select count(*) from oauth_client_assertion").query(Long.class).single()).isEqualTo(1);
		assertThat(replays.firstUse("client-a", "live", now.plusSeconds(300), now.plusSeconds(90))).isFalse();
	}

}
