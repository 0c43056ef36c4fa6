package io.gatehouse.oauth;

import java.time.Clock;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes the records of client assertions that have expired (they can no longer be replayed: their {@code exp}
 * refuses them first). Hourly, on one node at a time, like {@link TokenCleanup}; the delete is idempotent.
 */
@Component
class ClientAssertionCleanup {

	private static final Logger log = LoggerFactory.getLogger(ClientAssertionCleanup.class);

	private final ClientAssertionReplays replays;

	private final Clock clock;

	@Autowired
	ClientAssertionCleanup(ClientAssertionReplays replays) {
		this(replays, Clock.systemUTC());
	}

	ClientAssertionCleanup(ClientAssertionReplays replays, Clock clock) {
		this.replays = replays;
		this.clock = clock;
	}

	@Scheduled(initialDelayString = "PT7M", fixedDelayString = "PT1H")
	@SchedulerLock(name = "client-assertion-cleanup", lockAtLeastFor = "PT50M", lockAtMostFor = "PT50M")
	public void deleteExpired() {
		int deleted = replays.deleteExpired(clock.instant());
		if (deleted > 0) {
			log.info("Deleted {} expired client assertion records", deleted);
		}
	}

}
