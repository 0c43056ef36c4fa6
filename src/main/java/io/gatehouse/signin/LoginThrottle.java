package io.gatehouse.signin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Slows password guessing per username: after {@link #FREE_FAILURES} failures within {@link #WINDOW}, each further
 * attempt must wait twice as long as the last (1 s, 2 s, 4 s, ... up to 15 minutes), whether or not it would succeed.
 * Counted per node in memory; the set of tracked names is bounded so a flood of random names cannot exhaust memory.
 * Used by the console's login form and by the OAuth password grant alike.
 */
@Component
public class LoginThrottle {

	public static final int FREE_FAILURES = 5;

	static final Duration WINDOW = Duration.ofMinutes(15);

	private static final Duration MAX_DELAY = Duration.ofMinutes(15);

	private static final int MAX_TRACKED = 100_000;

	private final Map<String, Failures> failures = new ConcurrentHashMap<>();

	private final Clock clock;

	LoginThrottle() {
		this(Clock.systemUTC());
	}

	LoginThrottle(Clock clock) {
		this.clock = clock;
	}

	/** True while attempts for this username are being held back. */
	public boolean isThrottled(String username) {
		Failures current = failures.get(key(username));
		return current != null && clock.instant().isBefore(current.blockedUntil());
	}

	public void failed(String username) {
		Instant now = clock.instant();
		if (failures.size() >= MAX_TRACKED) {
			failures.values().removeIf(entry -> entry.lastFailure().plus(WINDOW).isBefore(now));
		}
		failures.compute(key(username), (name, current) -> {
			int count = current == null || current.lastFailure().plus(WINDOW).isBefore(now) ? 1 : current.count() + 1;
			Instant blockedUntil = now;
			if (count > FREE_FAILURES) {
				long seconds = 1L << Math.min(count - FREE_FAILURES - 1, 20);
				Duration delay = Duration.ofSeconds(seconds);
				blockedUntil = now.plus(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay);
			}
			return new Failures(count, now, blockedUntil);
		});
	}

	public void succeeded(String username) {
		failures.remove(key(username));
	}

	private static String key(String username) {
		return username.trim().toLowerCase(Locale.ROOT);
	}

	private record Failures(int count, Instant lastFailure, Instant blockedUntil) {
	}

}
