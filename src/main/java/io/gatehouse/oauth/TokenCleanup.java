package io.gatehouse.oauth;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Deletes what can no longer be used, so the token tables hold live grants rather than history: tokens a day past
 * their expiry (rotated refresh tokens are kept until then, for reuse detection), and grants left with no tokens.
 * Runs hourly, on one node at a time: the run takes the {@code token-cleanup} lock (ShedLock, module cluster), and
 * holds it for at least 50 minutes, so of several nodes' hourly runs about one an hour does the work. The deletes are
 * idempotent, so a run on another node after a crash mid-run is harmless.
 */
@Component
class TokenCleanup {

	private static final Logger log = LoggerFactory.getLogger(TokenCleanup.class);

	static final Duration GRACE = Duration.ofDays(1);

	private final JdbcAuthorizationRepository repository;

	private final Clock clock;

	@Autowired
	TokenCleanup(JdbcAuthorizationRepository repository) {
		this(repository, Clock.systemUTC());
	}

	TokenCleanup(JdbcAuthorizationRepository repository, Clock clock) {
		this.repository = repository;
		this.clock = clock;
	}

	@Scheduled(initialDelayString = "PT5M", fixedDelayString = "PT1H")
	@SchedulerLock(name = "token-cleanup", lockAtLeastFor = "PT50M", lockAtMostFor = "PT50M")
	@Transactional
	public void deleteExpired() {
		OffsetDateTime cutoff = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minus(GRACE);
		int[] deleted = repository.deleteExpired(cutoff);
		if (deleted[0] + deleted[1] > 0) {
			log.info("Deleted {} expired tokens and {} finished grants", deleted[0], deleted[1]);
		}
	}

}
