package io.gatehouse.usage;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes token usage older than the retention ({@link UsageSettings}), an hour's rows per statement (at most a row
 * per client and grant type), so no delete holds many locks. Daily, on one node at a time (ShedLock).
 */
@Component
class UsageRetention {

	private static final Logger log = LoggerFactory.getLogger(UsageRetention.class);

	static final int HOURS_PER_RUN = 24 * 31;

	private final JdbcTokenUsageRepository repository;

	private final UsageSettings settings;

	private final Clock clock;

	@Autowired
	UsageRetention(JdbcTokenUsageRepository repository, UsageSettings settings, ObjectProvider<Clock> clock) {
		this(repository, settings, clock.getIfAvailable(Clock::systemUTC));
	}

	UsageRetention(JdbcTokenUsageRepository repository, UsageSettings settings, Clock clock) {
		this.repository = repository;
		this.settings = settings;
		this.clock = clock;
	}

	@Scheduled(initialDelayString = "PT10M", fixedDelayString = "PT24H")
	@SchedulerLock(name = "token-usage-retention", lockAtLeastFor = "PT1H", lockAtMostFor = "PT1H")
	public void deleteExpired() {
		Instant cutoff = clock.instant().minus(settings.retention());
		List<Instant> hours = repository.hoursBefore(cutoff, HOURS_PER_RUN);
		long deleted = 0;
		for (Instant hour : hours) {
			deleted += repository.deleteHour(hour);
		}
		if (deleted > 0) {
			log.info("Deleted {} token usage rows older than {}", deleted, cutoff);
		}
	}

}
