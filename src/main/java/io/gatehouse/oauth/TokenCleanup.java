package io.gatehouse.oauth;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Deletes what can no longer be used, so the token tables hold live grants rather than history: tokens a day past
 * their expiry (rotated refresh tokens are kept until then, for reuse detection), and grants left with no tokens.
 * Runs hourly on every node; the deletes are idempotent, so nodes racing each other is harmless.
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
	@Transactional
	public void deleteExpired() {
		OffsetDateTime cutoff = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minus(GRACE);
		int[] deleted = repository.deleteExpired(cutoff);
		if (deleted[0] + deleted[1] > 0) {
			log.info("Deleted {} expired tokens and {} finished grants", deleted[0], deleted[1]);
		}
	}

}
