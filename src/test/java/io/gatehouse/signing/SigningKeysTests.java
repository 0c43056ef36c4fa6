package io.gatehouse.signing;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.gatehouse.support.MutableClock;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Key creation, rotation, publication and expiry against a real database, with a clock moved by hand; run on H2 and
 * PostgreSQL by the subclasses. Not transactional: the two-node test needs commits that other connections see.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@Import({ JdbcSigningKeyRepository.class, KeyEncryptionKeys.class })
abstract class SigningKeysTests {

	static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	static final SigningKeySettings DEFAULTS = new SigningKeySettings("RS256", Duration.ofDays(30), Duration.ofDays(1),
			Duration.ofHours(1), 2048);

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JdbcSigningKeyRepository repository;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	SigningKeyCipher cipher;

	final MutableClock clock = new MutableClock(START);

	@BeforeEach
	void emptyTable() {
		jdbc.sql("delete from signing_key").update();
	}

	SigningKeys node(SigningKeySettings settings) {
		return new SigningKeys(repository, transactionManager, settings, clock);
	}

	@Test
	void refreshWhenNoKeyThenCreatesOneThatSignsAtOnce() {
		SigningKeys keys = node(DEFAULTS);

		keys.refresh();

		List<SigningKey> stored = repository.findAll();
		assertThat(stored).hasSize(1);
		assertThat(stored.get(0).activatesAt()).isEqualTo(START);
		assertThat(keys.activeKey().kid()).isEqualTo(stored.get(0).kid());
		assertThat(keys.activeKey().jwk().isPrivate()).isTrue();
		assertThat(keys.publicKeys().getKeys()).extracting(JWK::getKeyID).containsExactly(stored.get(0).kid());
	}

	@Test
	void startWhenNoKeyThenKeyGeneratedAheadStoredOnceSingletonsAreReady() {
		SigningKeys keys = node(DEFAULTS);

		keys.afterPropertiesSet();
		assertThat(repository.findAll()).isEmpty();
		keys.afterSingletonsInstantiated();

		List<SigningKey> stored = repository.findAll();
		assertThat(stored).hasSize(1);
		assertThat(stored.get(0).activatesAt()).isEqualTo(START);
		assertThat(keys.activeKey().kid()).isEqualTo(stored.get(0).kid());
		assertThat(keys.activeKey().jwk().isPrivate()).isTrue();
	}

	@Test
	void startWhenAnotherNodeStoredKeyMeanwhileThenItsKeyIsUsedAndNoSecondKey() {
		SigningKeys keys = node(DEFAULTS);
		keys.afterPropertiesSet();
		SigningKeys other = node(DEFAULTS);
		other.refresh();

		keys.afterSingletonsInstantiated();

		assertThat(repository.findAll()).extracting(SigningKey::kid).containsExactly(other.activeKey().kid());
		assertThat(keys.activeKey().kid()).isEqualTo(other.activeKey().kid());
	}

	@Test
	void startWhenKeyStoredThenNoKeyGenerated() {
		node(DEFAULTS).refresh();
		String first = repository.findAll().get(0).kid();
		SigningKeys keys = node(DEFAULTS);

		keys.afterPropertiesSet();
		keys.afterSingletonsInstantiated();

		assertThat(repository.findAll()).extracting(SigningKey::kid).containsExactly(first);
	}

	@Test
	void refreshWhenActiveKeyYoungerThanRotationPeriodThenNoNewKey() {
		SigningKeys keys = node(DEFAULTS);
		keys.refresh();
		String first = keys.activeKey().kid();

		clock.advance(Duration.ofDays(30).minusSeconds(1));
		keys.refresh();

		assertThat(repository.findAll()).extracting(SigningKey::kid).containsExactly(first);
	}

	@Test
	void refreshWhenActiveKeyOlderThanRotationPeriodThenNextKeyPublishedBeforeItSigns() {
		SigningKeys keys = node(DEFAULTS);
		keys.refresh();
		String first = keys.activeKey().kid();

		clock.advance(Duration.ofDays(30));
		keys.refresh();

		List<SigningKey> stored = repository.findAll();
		assertThat(stored).hasSize(2);
		String next = stored.get(1).kid();
		assertThat(stored.get(1).activatesAt()).isEqualTo(clock.instant().plus(Duration.ofDays(1)));
		assertThat(keys.publicKeys().getKeys()).extracting(JWK::getKeyID).containsExactlyInAnyOrder(first, next);
		assertThat(keys.activeKey().kid()).isEqualTo(first);

		clock.advance(Duration.ofDays(1).minusMillis(1));
		assertThat(keys.activeKey().kid()).isEqualTo(first);

		clock.advance(Duration.ofMillis(1));
		assertThat(keys.activeKey().kid()).isEqualTo(next);
	}

	@Test
	void publicKeysWhenKeyRetiredThenPublishedUntilItsLastTokenExpiredThenDeleted() {
		SigningKeys keys = node(DEFAULTS);
		keys.refresh();
		String first = keys.activeKey().kid();
		clock.advance(Duration.ofDays(30));
		keys.refresh();
		clock.advance(Duration.ofDays(1));
		String next = keys.activeKey().kid();

		// the last token the first key signed expires max-token-lifetime later; verifiers allow 60 s of skew
		clock.advance(Duration.ofHours(1).plusSeconds(60).minusMillis(1));
		assertThat(keys.publicKeys().getKeys()).extracting(JWK::getKeyID).containsExactlyInAnyOrder(first, next);

		clock.advance(Duration.ofMillis(1));
		assertThat(keys.publicKeys().getKeys()).extracting(JWK::getKeyID).containsExactly(next);
		keys.refresh();
		assertThat(repository.findAll()).extracting(SigningKey::kid).containsExactly(next);
	}

	@Test
	void refreshWhenNextKeyPendingThenNoThirdKey() {
		SigningKeys keys = node(DEFAULTS);
		keys.refresh();
		clock.advance(Duration.ofDays(30));
		keys.refresh();

		clock.advance(Duration.ofHours(23));
		keys.refresh();

		assertThat(repository.findAll()).hasSize(2);
	}

	@Test
	void refreshWhenAlgorithmSettingChangedThenNextKeyUsesItAfterTheOverlap() {
		node(DEFAULTS).refresh();
		SigningKeys keys = node(new SigningKeySettings("ES256", Duration.ofDays(30), Duration.ofDays(1),
				Duration.ofHours(1), 2048));

		keys.refresh();

		assertThat(keys.activeKey().algorithm()).isEqualTo(SigningAlgorithm.RS256);
		clock.advance(Duration.ofDays(1));
		assertThat(keys.activeKey().algorithm()).isEqualTo(SigningAlgorithm.ES256);
	}

	@Test
	void refreshWhenRsa3072ThenPrivateJwkStoredAndReadBackWhole() {
		SigningKeys keys = node(new SigningKeySettings("PS256", Duration.ofDays(30), Duration.ofDays(1),
				Duration.ofHours(1), 3072));

		keys.refresh();

		SigningKey stored = repository.findAll().get(0);
		assertThat(stored.algorithm()).isEqualTo(SigningAlgorithm.PS256);
		assertThat(stored.jwk()).isInstanceOfSatisfying(RSAKey.class, rsa -> {
			assertThat(rsa.size()).isEqualTo(3072);
			assertThat(rsa.isPrivate()).isTrue();
			assertThat(rsa.getFirstFactorCRTExponent()).isNotNull();
		});
	}

	@Test
	void activeKeyWhenKeyActiveButAllRowsDeletedThenCreatesOneThatSignsAtOnce() {
		SigningKeys keys = node(DEFAULTS);
		keys.refresh();
		jdbc.sql("delete from signing_key").update();

		clock.advance(SigningKeys.RELOAD_INTERVAL);
		SigningKey active = keys.activeKey();

		assertThat(repository.findAll()).extracting(SigningKey::kid).containsExactly(active.kid());
	}

	@Test
	void publicKeysWhenAnotherNodeCreatedKeyThenSeenWithinReloadInterval() {
		SigningKeys nodeB = node(DEFAULTS);
		nodeB.refresh();
		String first = nodeB.activeKey().kid();
		// node A runs with another algorithm, so it creates the next key at once
		SigningKeys nodeA = node(new SigningKeySettings("ES256", Duration.ofDays(30), Duration.ofDays(1),
				Duration.ofHours(1), 2048));
		clock.advance(Duration.ofSeconds(10));

		nodeA.refresh();

		assertThat(repository.findAll()).hasSize(2);
		assertThat(nodeB.publicKeys().getKeys()).extracting(JWK::getKeyID).containsExactly(first);
		clock.advance(SigningKeys.RELOAD_INTERVAL.minusSeconds(10));
		assertThat(nodeB.publicKeys().getKeys()).hasSize(2);
	}

	@Test
	void refreshWhenTwoNodesFindNoKeyAtOnceThenOneKeyCreated() throws Exception {
		refreshOnTwoNodesAtOnce();

		assertThat(repository.findAll()).hasSize(1);
	}

	@Test
	void refreshWhenTwoNodesFindRotationDueAtOnceThenOneNextKeyCreated() throws Exception {
		node(DEFAULTS).refresh();
		clock.advance(Duration.ofDays(30));

		refreshOnTwoNodesAtOnce();

		assertThat(repository.findAll()).hasSize(2);
	}

	@Test
	void refreshWhenKeyCreatedThenStoredJwkIsCiphertextWithoutThePrivatePart() {
		node(DEFAULTS).refresh();

		String stored = storedJwk();
		assertThat(stored).startsWith("kek1:" + cipher.currentKeyId() + ":").doesNotContain("\"d\"", "\"p\"", "{");
		assertThatThrownBy(() -> JSONObjectUtils.parse(stored)).isInstanceOf(ParseException.class);
		assertThat(repository.findAll().get(0).jwk().isPrivate()).isTrue();
	}

	@Test
	void encryptStoredKeysWhenPlainJwkRowFromBeforeEncryptionThenEncryptedAndTheSameKeyIsRead() throws Exception {
		JWK plain = SigningAlgorithm.RS256.generate(2048);
		jdbc.sql("""
				insert into signing_key (kid, algorithm, jwk, created_at, activates_at)
				values (:kid, 'RS256', :jwk, :at, :at)
				""").param("kid", plain.getKeyID()).param("jwk", plain.toJSONString())
			.param("at", START.atOffset(java.time.ZoneOffset.UTC)).update();
		SigningKeys keys = node(DEFAULTS);

		keys.afterPropertiesSet();

		assertThat(storedJwk()).startsWith("kek1:").doesNotContain("\"d\"");
		assertThat(repository.findAll()).singleElement()
			.satisfies(key -> assertThat(key.jwk().toJSONObject()).isEqualTo(plain.toJSONObject()));
		assertThat(keys.activeKey().kid()).isEqualTo(plain.getKeyID());
	}

	@Test
	void encryptStoredKeysWhenKeyEncryptionKeyChangedThenEveryKeyReencryptedUnderTheNewOne() throws Exception {
		KeyEncryptionKey old = KeyEncryptionKey.generate();
		KeyEncryptionKey current = KeyEncryptionKey.generate();
		SigningKeys before = nodeWith(new SigningKeyCipher(old, List.of()));
		before.refresh();
		clock.advance(Duration.ofDays(30));
		before.refresh();
		Map<String, Object> keysBefore = jwks(repositoryWith(new SigningKeyCipher(old, List.of())).findAll());

		nodeWith(new SigningKeyCipher(current, List.of(old))).afterPropertiesSet();

		assertThat(jdbc.sql("select jwk from signing_key").query(String.class).list()).hasSize(2)
			.allSatisfy(stored -> assertThat(stored).startsWith("kek1:" + current.id() + ":"));
		// the old key-encryption key is no longer needed: the new one alone reads the same signing keys
		assertThat(jwks(repositoryWith(new SigningKeyCipher(current, List.of())).findAll())).isEqualTo(keysBefore);
	}

	@Test
	void refreshWhenKeysEncryptedUnderAnotherKeyEncryptionKeyThenFailsNamingTheSetting() {
		nodeWith(new SigningKeyCipher(KeyEncryptionKey.generate(), List.of())).refresh();
		SigningKeys wrongKey = nodeWith(new SigningKeyCipher(KeyEncryptionKey.generate(), List.of()));

		assertThatThrownBy(wrongKey::afterPropertiesSet).isInstanceOf(IllegalStateException.class)
			.hasMessageStartingWith("GATEHOUSE_KEY_ENCRYPTION_KEY does not decrypt signing key ")
			.hasMessageContaining("GATEHOUSE_KEY_ENCRYPTION_KEY_PREVIOUS");
		assertThat(storedJwk()).doesNotContain("\"d\"");
	}

	@Test
	void publicKeysWhenReloadFailsThenTheKeysAlreadyLoadedKeepServing() {
		KeyEncryptionKey old = KeyEncryptionKey.generate();
		SigningKeys stillOld = nodeWith(new SigningKeyCipher(old, List.of()));
		stillOld.refresh();
		String kid = stillOld.activeKey().kid();
		// another node restarted with a new key-encryption key and re-encrypted every signing key under it
		nodeWith(new SigningKeyCipher(KeyEncryptionKey.generate(), List.of(old))).encryptStoredKeys();

		clock.advance(SigningKeys.RELOAD_INTERVAL);

		assertThat(stillOld.publicKeys().getKeys()).extracting(JWK::getKeyID).containsExactly(kid);
		assertThat(stillOld.activeKey().kid()).isEqualTo(kid);
	}

	private String storedJwk() {
		return jdbc.sql("select jwk from signing_key").query(String.class).single();
	}

	private JdbcSigningKeyRepository repositoryWith(SigningKeyCipher keyCipher) {
		return new JdbcSigningKeyRepository(jdbc, keyCipher);
	}

	private SigningKeys nodeWith(SigningKeyCipher keyCipher) {
		return new SigningKeys(repositoryWith(keyCipher), transactionManager, DEFAULTS, clock);
	}

	private static Map<String, Object> jwks(List<SigningKey> keys) {
		Map<String, Object> byKid = new java.util.TreeMap<>();
		keys.forEach(key -> byKid.put(key.kid(), key.jwk().toJSONObject()));
		return byKid;
	}

	/**
	 * Two nodes refresh at once, made to collide: both reach the lock together, and each, after reading the keys
	 * under the lock, waits briefly for the other to have read too. Without the lock both read no new key and both
	 * create one; with it, the second waits at the lock until the first has committed.
	 */
	private void refreshOnTwoNodesAtOnce() throws Exception {
		CyclicBarrier atTheLock = new CyclicBarrier(2);
		CyclicBarrier bothRead = new CyclicBarrier(2);
		SigningKeys nodeA = new SigningKeys(new CollidingRepository(jdbc, cipher, atTheLock, bothRead),
				transactionManager, DEFAULTS, clock);
		SigningKeys nodeB = new SigningKeys(new CollidingRepository(jdbc, cipher, atTheLock, bothRead),
				transactionManager, DEFAULTS, clock);
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			List<Future<Object>> done = threads.invokeAll(List.of(() -> {
				nodeA.refresh();
				return "A";
			}, () -> {
				nodeB.refresh();
				return "B";
			}), 60, TimeUnit.SECONDS);
			for (Future<Object> each : done) {
				each.get();
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static final class CollidingRepository extends JdbcSigningKeyRepository {

		private final CyclicBarrier atTheLock;

		private final CyclicBarrier bothRead;

		private final ThreadLocal<Boolean> locked = ThreadLocal.withInitial(() -> false);

		CollidingRepository(JdbcClient jdbc, SigningKeyCipher cipher, CyclicBarrier atTheLock, CyclicBarrier bothRead) {
			super(jdbc, cipher);
			this.atTheLock = atTheLock;
			this.bothRead = bothRead;
		}

		@Override
		void lockForKeyCreation() {
			await(atTheLock, 10_000);
			super.lockForKeyCreation();
			locked.set(true);
		}

		@Override
		List<SigningKey> findAll() {
			List<SigningKey> keys = super.findAll();
			if (locked.get()) {
				locked.set(false);
				// shorter than H2's 1 s lock timeout, which the other node is waiting out if the lock works
				await(bothRead, 300);
			}
			return keys;
		}

		private static void await(CyclicBarrier barrier, long millis) {
			try {
				barrier.await(millis, TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException | BrokenBarrierException ex) {
				// the other node is held at the lock (or already done): no collision to wait for
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
