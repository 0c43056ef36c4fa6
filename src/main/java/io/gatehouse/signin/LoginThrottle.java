package io.gatehouse.signin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Slows password guessing per username: after {@link #FREE_FAILURES} failures within {@link #WINDOW}, each further
 * attempt must wait twice as long as the last (1 s, 2 s, 4 s, ... up to 15 minutes), whether or not it would succeed.
 * Counted in the database, so every node sees every node's failures: N nodes do not give a guesser N times the
 * attempts. Unknown usernames are counted exactly like known ones, so the throttle tells nothing about which exist.
 * Used by the console's login form and by the OAuth password grant alike.
 * <p>
 * Costs one primary-key read per attempt, plus one atomic write per failure. A success writes only when there were
 * failures to forget.
 */
@Component
public class LoginThrottle {

	public static final int FREE_FAILURES = 5;

	static final Duration WINDOW = Duration.ofMinutes(15);

	static final Duration MAX_DELAY = Duration.ofMinutes(15);

	private final JdbcLoginThrottleRepository repository;

	private final Clock clock;

	@Autowired
	LoginThrottle(JdbcLoginThrottleRepository repository, ObjectProvider<Clock> clock) {
		this(repository, clock.getIfAvailable(Clock::systemUTC));
	}

	LoginThrottle(JdbcLoginThrottleRepository repository, Clock clock) {
		this.repository = repository;
		this.clock = clock;
	}

	/** Reads the username's recent failures: start every login attempt here. */
	public Attempt attempt(String username) {
		String key = JdbcLoginThrottleRepository.key(username);
		return new Attempt(key, repository.find(key));
	}

	/** Deletes the failures whose window is over; returns how many usernames were forgotten. */
	int forgetExpired() {
		return repository.deleteOlderThan(clock.instant().minus(WINDOW));
	}

	/** Until when attempts are held back after {@code count} failures, the last at {@code lastFailure}. */
	static Instant blockedUntil(int count, Instant lastFailure) {
		if (count <= FREE_FAILURES) {
			return lastFailure;
		}
		Duration delay = Duration.ofSeconds(1L << Math.min(count - FREE_FAILURES - 1, 20));
		return lastFailure.plus(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay);
	}

	/** One login attempt for one username, as the throttle saw it when it began. */
	public final class Attempt {

		private final String key;

		private final JdbcLoginThrottleRepository.@Nullable Failures failures;

		private Attempt(String key, JdbcLoginThrottleRepository.@Nullable Failures failures) {
			this.key = key;
			this.failures = failures;
		}

		/** True while attempts for this username are held back: refuse it without checking the password. */
		public boolean throttled() {
			Instant now = clock.instant();
			return failures != null && failures.lastFailure().plus(WINDOW).isAfter(now)
					&& now.isBefore(blockedUntil(failures.count(), failures.lastFailure()));
		}

		/** The password was wrong (or the username unknown): counted at once, for every node. */
		public void failed() {
			repository.countFailure(key, clock.instant(), clock.instant().minus(WINDOW));
		}

		/** The password was right: the username's failures are forgotten. No write when there were none. */
		public void succeeded() {
			if (failures != null) {
				repository.delete(key);
			}
		}

	}

}
