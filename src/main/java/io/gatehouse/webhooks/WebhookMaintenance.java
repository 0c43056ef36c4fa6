package io.gatehouse.webhooks;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code gatehouse.webhooks.backlog}: the pending deliveries, sampled every 30 seconds (a scrape reads a number in
 * memory, never the database); and the cleanup of deliveries finished longer ago than the retention, in batches,
 * with their attempts (the foreign key cascades).
 * Several nodes may clean up at once: they delete the same rows, which is harmless.
 */
@Component
class WebhookMaintenance {

	static final int CLEANUP_BATCH = 1000;

	private static final Logger log = LoggerFactory.getLogger(WebhookMaintenance.class);

	private final JdbcWebhookRepository repository;

	private final WebhookSettings settings;

	private final Clock clock;

	private final AtomicLong backlog = new AtomicLong();

	WebhookMaintenance(JdbcWebhookRepository repository, WebhookSettings settings, MeterRegistry registry,
			ObjectProvider<Clock> clock) {
		this.repository = repository;
		this.settings = settings;
		this.clock = clock.getIfAvailable(Clock::systemUTC);
		Gauge.builder("gatehouse.webhooks.backlog", backlog, AtomicLong::get)
			.description("Webhook deliveries not yet delivered nor given up, sampled every 30 seconds")
			.register(registry);
	}

	@Scheduled(initialDelay = 0, fixedDelay = 30_000)
	void sample() {
		try {
			backlog.set(repository.countPending());
		}
		catch (DataAccessException ex) {
			// the database is away: the gauge keeps its last sample, and readiness reports the outage
			log.debug("Could not sample the webhook backlog: {}", ex.getMessage());
		}
	}

	@Scheduled(initialDelay = 60_000, fixedDelay = 3_600_000)
	void cleanUp() {
		try {
			while (repository.deleteFinishedBefore(clock.instant().minus(settings.retention()), CLEANUP_BATCH)
					== CLEANUP_BATCH) {
				// a full batch: more may be due
			}
		}
		catch (DataAccessException ex) {
			log.warn("Could not delete old webhook deliveries: {}", ex.getMessage());
		}
	}

}
