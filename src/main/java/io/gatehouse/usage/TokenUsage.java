package io.gatehouse.usage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tokens issued per client and grant type. {@link #record} counts in memory (no lock, no I/O); once a minute, and
 * once more when the application stops, {@link #flush} adds the counts to the client's hourly rows. A node that dies
 * without stopping loses at most its last minute of counts: acceptable for a chart, and the token endpoint pays
 * nothing for it. The reads cover every node's flushed counts, not this node's unflushed minute.
 */
@Component
public class TokenUsage {

	private static final Logger log = LoggerFactory.getLogger(TokenUsage.class);

	/** Rows per transaction of a flush, so a flush after a busy minute with many clients holds no lock for long. */
	static final int CHUNK = 500;

	/** Insert races lost to another node's flush before giving up for this minute (the counts are kept). */
	private static final int ATTEMPTS = 5;

	private final UsageCounter counter;

	private final JdbcTokenUsageRepository repository;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final Object flushLock = new Object();

	@Autowired
	TokenUsage(JdbcTokenUsageRepository repository, PlatformTransactionManager transactionManager,
			ObjectProvider<Clock> clock) {
		this(repository, transactionManager, clock.getIfAvailable(Clock::systemUTC));
	}

	TokenUsage(JdbcTokenUsageRepository repository, PlatformTransactionManager transactionManager, Clock clock) {
		this.counter = new UsageCounter(clock);
		this.repository = repository;
		this.transactions = new TransactionTemplate(transactionManager);
		this.clock = clock;
	}

	/** Counts one token issued to the client: a map lookup and an increment, safe from any thread. */
	public void record(String clientId, UsageGrantType grant) {
		counter.increment(clientId, grant);
	}

	/**
	 * Adds the counts since the last flush to the database; runs every minute, and may be called at any time (tests
	 * do). Counts it could not write (the database is away) are kept for the next flush.
	 */
	@Scheduled(initialDelayString = "${gatehouse.usage.flush-interval:PT1M}",
			fixedDelayString = "${gatehouse.usage.flush-interval:PT1M}")
	public void flush() {
		synchronized (flushLock) {
			Map<UsageCounter.Key, Long> drained = counter.drain();
			List<Map.Entry<UsageCounter.Key, Long>> all = new ArrayList<>(drained.entrySet());
			for (int from = 0; from < all.size(); from += CHUNK) {
				List<Map.Entry<UsageCounter.Key, Long>> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
				List<Map.Entry<UsageCounter.Key, Long>> unwritten = write(chunk);
				if (!unwritten.isEmpty()) {
					Map<UsageCounter.Key, Long> kept = new HashMap<>();
					unwritten.forEach(entry -> kept.put(entry.getKey(), entry.getValue()));
					all.subList(from + chunk.size(), all.size())
						.forEach(entry -> kept.put(entry.getKey(), entry.getValue()));
					counter.restore(kept);
					return;
				}
			}
		}
	}

	/** Update what exists, insert the rest; of two nodes inserting one row, the loser updates it instead. */
	private List<Map.Entry<UsageCounter.Key, Long>> write(List<Map.Entry<UsageCounter.Key, Long>> chunk) {
		List<Map.Entry<UsageCounter.Key, Long>> pending = chunk;
		try {
			for (int attempt = 0; attempt < ATTEMPTS && !pending.isEmpty(); attempt++) {
				List<Map.Entry<UsageCounter.Key, Long>> updating = pending;
				List<Map.Entry<UsageCounter.Key, Long>> missing = transactions
					.execute(status -> repository.addToExisting(updating));
				pending = missing == null ? List.of() : missing;
				if (pending.isEmpty()) {
					return pending;
				}
				try {
					List<Map.Entry<UsageCounter.Key, Long>> inserting = pending;
					transactions.executeWithoutResult(status -> repository.insert(inserting));
					return List.of();
				}
				catch (DuplicateKeyException ex) {
					// another node inserted one of these rows since the update: nothing of the insert committed,
					// so update again
				}
			}
		}
		catch (DataAccessException ex) {
			log.warn("Could not write token usage, keeping {} count(s) for the next minute: {}", pending.size(),
					ex.getMessage());
		}
		return pending;
	}

	/** On a graceful stop, after the web server has stopped taking requests: the last minute's counts. */
	@PreDestroy
	void flushOnStop() {
		flush();
		long left = counter.pending();
		if (left > 0) {
			log.warn("Stopped with {} token usage count(s) not written", left);
		}
	}

	/** The last {@code hours} hours, the current one included, per hour. */
	public UsageSeries lastHours(int hours) {
		Instant until = clock.instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
		Instant since = until.minus(Duration.ofHours(hours));
		return UsageSeries.of(since, Duration.ofHours(1), hours, repository.totals(since, until));
	}

	/** The last {@code days} days (UTC), today included, per day: every client. */
	public UsageSeries lastDays(int days) {
		Instant until = tomorrow();
		Instant since = until.minus(Duration.ofDays(days));
		return UsageSeries.of(since, Duration.ofDays(1), days, repository.totals(since, until));
	}

	/** One client's last {@code days} days (UTC), today included, per day. */
	public UsageSeries lastDaysOf(String clientId, int days) {
		Instant until = tomorrow();
		Instant since = until.minus(Duration.ofDays(days));
		return UsageSeries.of(since, Duration.ofDays(1), days, repository.ofClient(clientId, since, until));
	}

	/** The {@code limit} clients with the most tokens in the last {@code days} days, most first. */
	public List<ClientUsage> topClients(int days, int limit) {
		Instant until = tomorrow();
		return repository.top(until.minus(Duration.ofDays(days)), until, limit);
	}

	long pending() {
		return counter.pending();
	}

	private Instant tomorrow() {
		return clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
	}

}
