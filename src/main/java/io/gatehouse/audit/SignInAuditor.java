package io.gatehouse.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.gatehouse.signin.SignInAttempt;
import io.gatehouse.signin.SignInAttempt.Outcome;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Records sign-ins: every success, and failures within a budget. A failure is as cheap to cause as an HTTP request
 * once the username is throttled (the throttle refuses without checking the password), so the records it costs are
 * bounded: a throttled username is recorded at most once a minute, and failures of any kind at most
 * {@link #RATE_PER_SECOND} a second per node (bursts of {@link #BURST}). What the budget leaves out is counted and
 * recorded once a minute as {@code sign_in.failures_suppressed}. The attempted password is never seen here, and the
 * attempted username only when it names an existing account ({@link SignInAttempt}).
 */
@Component
class SignInAuditor {

	static final int RATE_PER_SECOND = 20;

	static final int BURST = 200;

	static final Duration THROTTLED_ONCE_PER = Duration.ofMinutes(1);

	private static final String UNKNOWN = "(unknown username)";

	private final AuditLog log;

	private final TokenBucket budget;

	private final Cache<String, Boolean> throttledRecently;

	private final AtomicLong suppressed = new AtomicLong();

	@Autowired
	SignInAuditor(AuditLog log, ObjectProvider<Clock> clock) {
		this(log, clock.getIfAvailable(Clock::systemUTC));
	}

	SignInAuditor(AuditLog log, Clock clock) {
		this.log = log;
		this.budget = new TokenBucket(RATE_PER_SECOND, BURST, clock);
		this.throttledRecently = Caffeine.newBuilder()
			.expireAfterWrite(THROTTLED_ONCE_PER)
			.maximumSize(10_000)
			.ticker(() -> clock.millis() * 1_000_000)
			.build();
	}

	@EventListener
	void on(SignInAttempt attempt) {
		if (!attempt.outcome().succeeded()) {
			boolean repeat = attempt.outcome() == Outcome.THROTTLED && throttledRecently.asMap()
				.putIfAbsent(attempt.username() == null ? "" : attempt.username(), Boolean.TRUE) != null;
			if (repeat || !budget.tryTake()) {
				suppressed.incrementAndGet();
				return;
			}
		}
		log.record(changeOf(attempt));
	}

	/** Once a minute: how many failures the budget left out since the last time, as one record. */
	@Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
	void recordSuppressed() {
		long count = suppressed.getAndSet(0);
		if (count > 0) {
			log.record(new AuditableChange(null, AuditTrail.SYSTEM, "failures_suppressed", AuditEventTypes.SIGN_IN,
					"-", "Sign-in failures", List.of(new FieldChange("count", null, Long.toString(count)))));
		}
	}

	private static AuditableChange changeOf(SignInAttempt attempt) {
		String channel = attempt.channel().name().toLowerCase(Locale.ROOT);
		List<FieldChange> changes = new ArrayList<>();
		if (!attempt.outcome().succeeded()) {
			changes.add(new FieldChange("reason", null, attempt.outcome().name().toLowerCase(Locale.ROOT)));
		}
		changes.add(new FieldChange("channel", null, channel));
		if (attempt.clientId() != null) {
			changes.add(new FieldChange("client", null, attempt.clientId()));
		}
		String action = attempt.outcome().succeeded() ? "succeeded"
				: attempt.outcome() == Outcome.THROTTLED ? "throttled" : "failed";
		String name = attempt.username() == null ? UNKNOWN : attempt.username();
		// the actor is the account the attempt named: "alice" finds the attempts on alice's account too
		return new AuditableChange(attempt.accountId(), attempt.username() == null ? "anonymous" : attempt.username(),
				action, AuditEventTypes.SIGN_IN, attempt.accountId() == null ? "-" : attempt.accountId().toString(),
				name, changes, attempt.clientId());
	}

	/** A token bucket: {@code rate} tokens a second, at most {@code capacity} saved up. */
	static final class TokenBucket {

		private final double rate;

		private final double capacity;

		private final Clock clock;

		private double tokens;

		private long last;

		TokenBucket(double rate, double capacity, Clock clock) {
			this.rate = rate;
			this.capacity = capacity;
			this.clock = clock;
			this.tokens = capacity;
			this.last = clock.millis();
		}

		synchronized boolean tryTake() {
			long now = clock.millis();
			tokens = Math.min(capacity, tokens + (now - last) * rate / 1000.0);
			last = now;
			if (tokens >= 1) {
				tokens--;
				return true;
			}
			return false;
		}

	}

}
