package io.gatehouse.oauth;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Guessing user codes on {@code /device} (RFC 8628 5.1): a signed-in user may enter at most {@link #MAX_FAILURES}
 * wrong or expired codes in {@link #WINDOW}; after that every code is refused unchecked until the window has passed
 * since the last wrong one. Counted in {@code device_code_throttle}, a row per account shared by every node, the way
 * the sign-in throttle counts ({@code signin.JdbcLoginThrottleRepository}): each statement atomic on its own, an
 * update in place and, for a first failure, an insert that a lost race turns back into the update. Rows past their
 * window are deleted hourly.
 */
@Component
class DeviceCodeThrottle {

	static final int MAX_FAILURES = 10;

	static final Duration WINDOW = Duration.ofMinutes(15);

	private final JdbcClient jdbc;

	DeviceCodeThrottle(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Whether the account has used up its wrong codes for now. */
	boolean throttled(long accountId) {
		return jdbc.sql("""
				select count(*) from device_code_throttle
				where account_id = :account and failures >= :max and last_failure_at >= :windowStart
				""")
			.param("account", accountId)
			.param("max", MAX_FAILURES)
			.param("windowStart", utc(Instant.now().minus(WINDOW)))
			.query(Long.class)
			.single() > 0;
	}

	/** One more wrong code; a count whose last failure is older than the window starts again at 1. */
	void failed(long accountId) {
		if (increment(accountId) > 0) {
			return;
		}
		int inserted = jdbc.sql("""
				insert into device_code_throttle (account_id, failures, last_failure_at)
				values (:account, 1, :now)
				on conflict do nothing
				""").param("account", accountId).param("now", utc(Instant.now())).update();
		if (inserted == 0) {
			// another request inserted the row first: count on it
			increment(accountId);
		}
	}

	/** Deletes rows whose window is over, hourly, on one node at a time (as the token cleanup). */
	@Scheduled(initialDelayString = "PT7M", fixedDelayString = "PT1H")
	@SchedulerLock(name = "device-code-throttle-cleanup", lockAtLeastFor = "PT50M", lockAtMostFor = "PT50M")
	public void deleteExpired() {
		jdbc.sql("delete from device_code_throttle where last_failure_at < :windowStart")
			.param("windowStart", utc(Instant.now().minus(WINDOW)))
			.update();
	}

	private int increment(long accountId) {
		Instant now = Instant.now();
		return jdbc.sql("""
				update device_code_throttle
				set failures = case when last_failure_at < :windowStart then 1 else failures + 1 end,
				    last_failure_at = :now
				where account_id = :account
				""")
			.param("windowStart", utc(now.minus(WINDOW)))
			.param("now", utc(now))
			.param("account", accountId)
			.update();
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}
