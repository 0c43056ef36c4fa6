package io.gatehouse.webhooks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.gatehouse.webhooks.JdbcWebhookRepository.Claimed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends what the outbox holds. Every node polls each {@link WebhookSettings#pollInterval()}; a delivery goes out from
 * the node whose claim leased it ({@link JdbcWebhookRepository#claimDue}), so once per attempt however many nodes
 * run. A node that dies while sending leaves the delivery to be sent again when the lease of {@link #LEASE} ends:
 * at least once. A failed attempt (no 2xx) is retried after {@link #BACKOFF}'s next step, 10 s up to 8 h, about
 * 24 h in all; the attempt after the last step failing makes the delivery {@code failed}. Each attempt is kept in
 * the delivery's history ({@link WebhookAttempt}) in the transaction that records its outcome. The endpoint's URL and
 * secret come from {@link WebhookEndpointCache}, not from a read and a decryption per delivery.
 */
@Component
class WebhookDispatcher implements SmartLifecycle {

	static final Duration LEASE = Duration.ofMinutes(5);

	static final List<Duration> BACKOFF = List.of(Duration.ofSeconds(10), Duration.ofSeconds(30),
			Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1),
			Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8), Duration.ofHours(8));

	/** The first attempt and one per step of {@link #BACKOFF}. */
	static final int MAX_ATTEMPTS = BACKOFF.size() + 1;

	static final int BATCH = 20;

	private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

	private final JdbcWebhookRepository repository;

	private final WebhookEndpointCache endpoints;

	private final WebhookSender sender;

	private final TransactionTemplate transactions;

	private final WebhookSettings settings;

	private final Clock clock;

	private final Map<String, Counter> results = new LinkedHashMap<>();

	private volatile @Nullable ScheduledExecutorService poller;

	private volatile @Nullable ExecutorService senders;

	@Autowired
	WebhookDispatcher(JdbcWebhookRepository repository, WebhookEndpointCache endpoints, WebhookSender sender,
			WebhookSettings settings, PlatformTransactionManager transactionManager, MeterRegistry registry,
			ObjectProvider<Clock> clock) {
		this(repository, endpoints, sender, settings, transactionManager, registry,
				clock.getIfAvailable(Clock::systemUTC));
	}

	WebhookDispatcher(JdbcWebhookRepository repository, WebhookEndpointCache endpoints, WebhookSender sender,
			WebhookSettings settings, PlatformTransactionManager transactionManager, MeterRegistry registry,
			Clock clock) {
		this.repository = repository;
		this.endpoints = endpoints;
		this.sender = sender;
		this.settings = settings;
		this.transactions = new TransactionTemplate(transactionManager);
		this.clock = clock;
		for (String result : List.of("delivered", "retry", "failed")) {
			results.put(result, Counter.builder("gatehouse.webhooks.deliveries")
				.description("Webhook delivery attempts by result: delivered, retry (failed, tried again later), "
						+ "failed (given up)")
				.tag("result", result)
				.register(registry));
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService polls = Executors.newSingleThreadScheduledExecutor(daemon("webhook-dispatcher"));
		senders = Executors.newFixedThreadPool(4, daemon("webhook-sender"));
		long interval = settings.pollInterval().toMillis();
		polls.scheduleWithFixedDelay(this::dispatchQuietly, interval, interval, TimeUnit.MILLISECONDS);
		poller = polls;
	}

	@Override
	public void stop() {
		ScheduledExecutorService polls = poller;
		ExecutorService sending = senders;
		poller = null;
		senders = null;
		if (polls != null) {
			polls.shutdownNow();
		}
		if (sending != null) {
			// a delivery interrupted here keeps its lease and is sent again once the lease ends
			sending.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return poller != null;
	}

	private void dispatchQuietly() {
		try {
			while (dispatchDue() == BATCH) {
				// a full batch: more may be due
			}
		}
		catch (DataAccessException ex) {
			// the database is away for a moment: the next poll tries again, and leases end on their own
			log.warn("Could not send webhook deliveries: {}", ex.getMessage());
		}
	}

	/**
	 * Claims the due deliveries (at most {@link #BATCH}) and sends them, different queues side by side; returns how
	 * many this node claimed.
	 */
	int dispatchDue() {
		Instant now = clock.instant();
		String owner = UUID.randomUUID().toString();
		List<Long> claimed = transactions.execute(status -> repository.claimDue(now, now.plus(LEASE), owner, BATCH));
		ExecutorService sending = senders;
		if (sending == null || claimed.size() <= 1) {
			claimed.forEach(id -> attempt(id, owner));
			return claimed.size();
		}
		List<Callable<Void>> tasks = new ArrayList<>();
		claimed.forEach(id -> tasks.add(() -> {
			attempt(id, owner);
			return null;
		}));
		try {
			sending.invokeAll(tasks);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return claimed.size();
	}

	private void attempt(long id, String owner) {
		Claimed delivery = repository.findClaimed(id, owner).orElse(null);
		if (delivery == null) {
			return;
		}
		Instant started = clock.instant();
		WebhookSender.Result result;
		try {
			WebhookEndpointCache.Sendable endpoint = endpoints.sendable(delivery.endpointId());
			if (endpoint == null) {
				// deleted meanwhile: its deliveries went with it
				return;
			}
			String eventId = Long.toString(delivery.eventId());
			long timestamp = clock.instant().getEpochSecond();
			Map<String, String> headers = new LinkedHashMap<>();
			headers.put(WebhookSignature.ID_HEADER, eventId);
			headers.put(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
			headers.put(WebhookSignature.SIGNATURE_HEADER,
					WebhookSignature.sign(endpoint.secret(), eventId, timestamp, delivery.payload()));
			result = sender.post(endpoint.url(), delivery.payload(), headers);
		}
		catch (IllegalStateException ex) {
			// the key-encryption key changed without the old one kept as previous: the message names the setting
			log.error("Webhook {} cannot be signed: {}", delivery.endpointId(), ex.getMessage());
			result = new WebhookSender.Result(null, "secret_unreadable", 0);
		}
		finish(delivery, owner, started, result);
	}

	/** The attempt's outcome on the delivery and in its history, in one transaction. */
	private void finish(Claimed delivery, String owner, Instant started, WebhookSender.Result result) {
		Instant now = clock.instant();
		String state;
		Instant next = now;
		if (result.delivered()) {
			state = WebhookDelivery.DELIVERED;
		}
		else if (delivery.attempts() >= MAX_ATTEMPTS) {
			state = WebhookDelivery.FAILED;
		}
		else {
			state = WebhookDelivery.PENDING;
			next = now.plus(BACKOFF.get(delivery.attempts() - 1));
		}
		Instant nextAttempt = next;
		boolean recorded = Boolean.TRUE.equals(transactions.execute(status -> {
			if (!repository.finishAttempt(delivery.id(), owner, state, result.status(), result.durationMs(),
					result.error(), nextAttempt, now)) {
				return false;
			}
			repository.insertAttempt(delivery.id(), delivery.attempts(), started, result.status(), result.error(),
					result.durationMs(), result.responseBody());
			return true;
		}));
		if (recorded) {
			results.get(WebhookDelivery.PENDING.equals(state) ? "retry" : state).increment();
		}
	}

	private static ThreadFactory daemon(String name) {
		return runnable -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		};
	}

}
