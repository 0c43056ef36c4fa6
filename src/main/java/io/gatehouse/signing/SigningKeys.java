package io.gatehouse.signing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The signing keys every node shares through the database, cached here for at most {@link #RELOAD_INTERVAL}.
 * Guarantees an active key: on start-up and every minute it creates the next key when the active one is older than the
 * rotation period (or was made with other settings). The next key is published at once and signs only after the
 * overlap, so every node and verifier knows it first. With no active key at all, it creates one that signs at once.
 * A retired key stays published until the last token it can have signed has expired, then it is deleted.
 * <p>
 * On a fresh database the first key is generated beside the rest of start-up (an RSA key is a search for primes: up
 * to a second on a cold JVM), and stored once every singleton is ready, so the context never starts without a key.
 */
@Component
class SigningKeys implements InitializingBean, SmartInitializingSingleton {

	static final Duration RELOAD_INTERVAL = Duration.ofSeconds(60);

	private static final Log logger = LogFactory.getLog(SigningKeys.class);

	private final JdbcSigningKeyRepository repository;

	private final TransactionTemplate transactions;

	private final SigningKeySettings settings;

	private final Clock clock;

	private final Object reloadLock = new Object();

	private final ApplicationEventPublisher events;

	private volatile @Nullable KeyRing ring;

	/** A key generated ahead, on start-up, for the first refresh that finds a key due. */
	private final AtomicReference<@Nullable CompletableFuture<JWK>> prepared = new AtomicReference<>();

	@Autowired
	SigningKeys(JdbcSigningKeyRepository repository, PlatformTransactionManager transactionManager,
			SigningKeySettings settings, ObjectProvider<Clock> clock, ApplicationEventPublisher events) {
		this(repository, transactionManager, settings, clock.getIfAvailable(Clock::systemUTC), events);
	}

	SigningKeys(JdbcSigningKeyRepository repository, PlatformTransactionManager transactionManager,
			SigningKeySettings settings, Clock clock) {
		this(repository, transactionManager, settings, clock, event -> {
		});
	}

	SigningKeys(JdbcSigningKeyRepository repository, PlatformTransactionManager transactionManager,
			SigningKeySettings settings, Clock clock, ApplicationEventPublisher events) {
		this.repository = repository;
		this.transactions = new TransactionTemplate(transactionManager);
		this.settings = settings;
		this.clock = clock;
		this.events = events;
	}

	/** Encrypts the stored keys; then, if none signs, starts generating one for the refresh at the end of start-up. */
	@Override
	public void afterPropertiesSet() {
		encryptStoredKeys();
		if (keyCreationDue(repository.findAll(), clock.instant())) {
			prepared.set(CompletableFuture.supplyAsync(this::generate, task -> {
				Thread thread = new Thread(task, "signing-key-generation");
				thread.setDaemon(true);
				thread.start();
			}));
		}
	}

	@Override
	public void afterSingletonsInstantiated() {
		refresh();
		// another node stored a key meanwhile: the one generated ahead is not needed
		prepared.set(null);
	}

	/**
	 * On start-up: every stored key ends up encrypted under the current key-encryption key, whether it was stored
	 * before keys were encrypted or under a key-encryption key since replaced. Fails, naming the setting, when a key
	 * was encrypted under a key-encryption key that is not configured.
	 */
	void encryptStoredKeys() {
		Integer rewritten = transactions.execute(status -> {
			repository.lockForKeyCreation();
			return repository.encryptUnderCurrentKey();
		});
		if (rewritten != null && rewritten > 0) {
			logger.info("Encrypted " + rewritten + " signing key(s) under key-encryption key "
					+ repository.keyEncryptionKeyId());
		}
	}

	/** Every minute: reload, and create the next key when one is due. Runs on every node; the DB lock serialises. */
	@Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
	void scheduledRefresh() {
		try {
			refresh();
		}
		catch (RuntimeException ex) {
			// the cached keys keep serving; the next run tries again
			logger.warn("Could not refresh the signing keys: " + ex.getMessage(), ex);
		}
	}

	/** Reloads the keys, creates the next one if due, and reloads again if it did. */
	void refresh() {
		KeyRing loaded = load();
		Instant now = clock.instant();
		if (keyCreationDue(loaded.keys(), now)) {
			// generated before taking the lock, so the lock is held for milliseconds (H2 waits 1 s for a lock)
			JWK next = preparedOrNewKey();
			transactions.executeWithoutResult(status -> createKeyIfDue(next));
			loaded = load();
		}
		else if (loaded.keys().stream().anyMatch(key -> !key.publishedAt(now))) {
			deleteExpired(now);
		}
		ring = loaded;
	}

	private JWK generate() {
		return settings.signingAlgorithm().generate(settings.rsaKeySize());
	}

	private JWK preparedOrNewKey() {
		CompletableFuture<JWK> ahead = prepared.getAndSet(null);
		if (ahead == null) {
			return generate();
		}
		try {
			return ahead.join();
		}
		catch (CompletionException ex) {
			throw ex.getCause() instanceof RuntimeException cause ? cause : ex;
		}
	}

	/** The key that signs now, with its private part. */
	SigningKey activeKey() {
		Optional<SigningKey> active = current().active(clock.instant());
		if (active.isPresent()) {
			return active.get();
		}
		refresh();
		return current().active(clock.instant())
			.orElseThrow(() -> new IllegalStateException("No signing key is active"));
	}

	/** The key that signs now, if any, from the cached ring without creating one: for readiness and gauges. */
	Optional<SigningKey> activeKeyIfAny() {
		return current().active(clock.instant());
	}

	Instant now() {
		return clock.instant();
	}

	/** The public keys a verifier may meet now: the pending next key, the active key, and retired keys not expired. */
	JWKSet publicKeys() {
		return new JWKSet(current().publicKeys(clock.instant()));
	}

	/** The public keys plus the active key's private part, for lookups by key ID. */
	JWKSet publicKeysAndActivePrivateKey() {
		Instant now = clock.instant();
		KeyRing current = current();
		Optional<SigningKey> active = current.active(now);
		List<JWK> keys = current.publicKeys(now)
			.stream()
			.map(key -> active.filter(a -> a.kid().equals(key.getKeyID())).<JWK>map(SigningKey::jwk).orElse(key))
			.toList();
		return new JWKSet(keys);
	}

	/**
	 * The keys, reloaded when older than {@link #RELOAD_INTERVAL}. When a reload fails (the database is unreachable, or
	 * another node re-encrypted the keys under a key-encryption key this node does not have yet), the keys already
	 * loaded keep serving, and the next call after another interval tries again.
	 */
	KeyRing current() {
		KeyRing current = ring;
		if (current == null || !clock.instant().isBefore(current.loadedAt().plus(RELOAD_INTERVAL))) {
			synchronized (reloadLock) {
				current = ring;
				if (current == null || !clock.instant().isBefore(current.loadedAt().plus(RELOAD_INTERVAL))) {
					current = reload(current);
					ring = current;
				}
			}
		}
		return current;
	}

	private KeyRing reload(@Nullable KeyRing cached) {
		try {
			return load();
		}
		catch (RuntimeException ex) {
			if (cached == null) {
				throw ex;
			}
			logger.warn("Could not reload the signing keys, serving the ones already loaded: " + ex.getMessage());
			return new KeyRing(cached.keys(), clock.instant());
		}
	}

	private KeyRing load() {
		return new KeyRing(repository.findAll(), clock.instant());
	}

	private boolean keyCreationDue(List<SigningKey> keys, Instant now) {
		KeyRing ring = new KeyRing(keys, now);
		Optional<SigningKey> active = ring.active(now);
		if (active.isEmpty()) {
			return true;
		}
		if (ring.pending(now).isPresent()) {
			return false;
		}
		return !now.isBefore(active.get().activatesAt().plus(settings.rotationPeriod()))
				|| active.get().differsFrom(settings);
	}

	/** Under the lock, so of two nodes that both found a key due, the second finds the first one's key. */
	private void createKeyIfDue(JWK next) {
		repository.lockForKeyCreation();
		Instant now = clock.instant();
		List<SigningKey> keys = repository.findAll();
		if (!keyCreationDue(keys, now)) {
			return;
		}
		KeyRing ring = new KeyRing(keys, now);
		Optional<SigningKey> active = ring.active(now);
		Optional<SigningKey> pending = ring.pending(now);
		if (active.isEmpty()) {
			// nothing can sign: a key that signs at once beats a token endpoint that fails until the overlap is over
			Instant retiresAt = pending.map(SigningKey::activatesAt).orElse(null);
			insert(next, now, now, retiresAt);
			events.publishEvent(new SigningKeyCreated(next.getKeyID(), settings.signingAlgorithm().name(), now, null));
		}
		else {
			Instant activatesAt = now.plus(settings.overlap());
			insert(next, now, activatesAt, null);
			repository.retire(active.get().kid(), activatesAt, expiry(activatesAt));
			events.publishEvent(new SigningKeyCreated(next.getKeyID(), settings.signingAlgorithm().name(),
					activatesAt, active.get().kid()));
		}
		deleteExpired(now);
	}

	private void deleteExpired(Instant now) {
		int deleted = repository.deleteExpired(now);
		if (deleted > 0) {
			logger.info("Deleted " + deleted + " signing key(s) that left the JWKS");
		}
	}

	private void insert(JWK jwk, Instant now, Instant activatesAt, @Nullable Instant retiresAt) {
		SigningAlgorithm algorithm = settings.signingAlgorithm();
		repository.insert(new SigningKey(jwk.getKeyID(), algorithm, jwk, now, activatesAt, retiresAt,
				retiresAt == null ? null : expiry(retiresAt)));
		logger.info("Created " + algorithm + " signing key " + jwk.getKeyID() + ", published now, signing from "
				+ activatesAt);
	}

	/** A key retired at {@code retiresAt} signed its last token then; it is valid for the lifetime plus skew. */
	private Instant expiry(Instant retiresAt) {
		return retiresAt.plus(settings.maxTokenLifetime()).plus(SigningKeySettings.CLOCK_SKEW);
	}

}
