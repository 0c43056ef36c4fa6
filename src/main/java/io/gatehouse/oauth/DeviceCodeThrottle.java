package io.gatehouse.oauth;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Guessing user codes on {@code /device} (RFC 8628 5.1): a signed-in user may enter at most {@link #MAX_FAILURES}
 * wrong or expired codes in {@link #WINDOW}; after that every code is refused unchecked until the window has passed
 * since the last wrong one. Counted in {@code device_code_throttle}, a row per account shared by every node. An
 * attempt is counted before its code is looked up, under the account's row lock, refused once the count is reached,
 * and uncounted when the code was right; so however many guesses arrive at once, on however many nodes, at most
 * {@link #MAX_FAILURES} are looked up. Rows past their window are deleted hourly.
 */
@Component
class DeviceCodeThrottle {

	static final int MAX_FAILURES = 10;

	static final Duration WINDOW = Duration.ofMinutes(15);

	private final JdbcClient jdbc;

	DeviceCodeThrottle(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Counts an attempt to enter a code; false, counting nothing, when the account has used up its wrong codes. A
	 * count whose last attempt is older than the window starts again at 1.
	 */
	@Transactional
	boolean attempt(long accountId) {
		Instant now = Instant.now();
		jdbc.sql("""
				insert into device_code_throttle (account_id, failures, last_failure_at)
				values (:account, 0, :now)
				on conflict do nothing
				""").param("account", accountId).param("now", utc(now)).update();
		// the row lock orders concurrent attempts: each sees the count the one before it left
		Attempts counted = jdbc.sql("""
				select failures, last_failure_at from device_code_throttle where account_id = :account for update
				""").param("account", accountId)
			.query((rs, i) -> new Attempts(rs.getInt("failures"),
					rs.getObject("last_failure_at", OffsetDateTime.class).toInstant()))
			.single();
		int failures = counted.last().isBefore(now.minus(WINDOW)) ? 0 : counted.failures();
		if (failures >= MAX_FAILURES) {
			return false;
		}
		jdbc.sql("""
				update device_code_throttle set failures = :failures, last_failure_at = :now where account_id = :account
				""")
			.param("failures", failures + 1)
			.param("now", utc(now))
			.param("account", accountId)
			.update();
		return true;
	}

	private record Attempts(int failures, Instant last) {
	}

	/** The code was right: its attempt is not a wrong one. */
	void succeeded(long accountId) {
		jdbc.sql("update device_code_throttle set failures = failures - 1 where account_id = :account and failures > 0")
			.param("account", accountId)
			.update();
	}

	/** Deletes rows whose window is over, hourly, on one node at a time (as the token cleanup). */
	@Scheduled(initialDelayString = "PT7M", fixedDelayString = "PT1H")
	@SchedulerLock(name = "device-code-throttle-cleanup", lockAtLeastFor = "PT50M", lockAtMostFor = "PT50M")
	public void deleteExpired() {
		jdbc.sql("delete from device_code_throttle where last_failure_at < :windowStart")
			.param("windowStart", utc(Instant.now().minus(WINDOW)))
			.update();
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}
