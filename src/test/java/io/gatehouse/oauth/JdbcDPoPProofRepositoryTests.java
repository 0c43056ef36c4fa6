package io.gatehouse.oauth;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.gatehouse.secrets.Secrets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DPoP replay store as every node shares it (RFC 9449 11.1): a {@code jti} is accepted once, also when several
 * requests (standing in for several nodes) present it at the same moment; records go once their proofs are too old;
 * every node derives its nonces from the one key stored first.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
// each insert commits on its own, as at the token endpoint and the API, so concurrent ones meet in the database
@Transactional(propagation = Propagation.NOT_SUPPORTED)
abstract class JdbcDPoPProofRepositoryTests {

	@Autowired
	JdbcClient jdbc;

	JdbcDPoPProofRepository proofs;

	@BeforeEach
	void setUp() {
		proofs = new JdbcDPoPProofRepository(jdbc);
	}

	@Test
	void firstUseWhenJtiSeenBeforeThenFalse() {
		String jti = Secrets.sha256(UUID.randomUUID().toString());
		Instant expires = Instant.now().plusSeconds(60);
		assertThat(proofs.firstUse(jti, expires)).isTrue();
		assertThat(proofs.firstUse(jti, expires)).isFalse();
		assertThat(proofs.firstUse(Secrets.sha256(UUID.randomUUID().toString()), expires)).isTrue();
	}

	@Test
	void firstUseWhenManyPresentSameJtiTogetherThenExactlyOneAccepted() throws Exception {
		int requests = 8;
		ExecutorService threads = Executors.newFixedThreadPool(requests);
		try {
			for (int round = 0; round < 20; round++) {
				String jti = Secrets.sha256(UUID.randomUUID().toString());
				CyclicBarrier together = new CyclicBarrier(requests);
				List<Future<Boolean>> results = new ArrayList<>();
				for (int i = 0; i < requests; i++) {
					results.add(threads.submit(() -> {
						together.await(10, TimeUnit.SECONDS);
						return proofs.firstUse(jti, Instant.now().plusSeconds(60));
					}));
				}
				int accepted = 0;
				for (Future<Boolean> result : results) {
					accepted += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
				}
				assertThat(accepted).as("round %d", round).isEqualTo(1);
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void deleteExpiredWhenRecordsPastExpiryThenOnlyThoseGo() {
		String old = Secrets.sha256(UUID.randomUUID().toString());
		String fresh = Secrets.sha256(UUID.randomUUID().toString());
		proofs.firstUse(old, Instant.now().minusSeconds(1));
		proofs.firstUse(fresh, Instant.now().plusSeconds(60));
		assertThat(proofs.deleteExpired(OffsetDateTime.now(ZoneOffset.UTC))).isGreaterThanOrEqualTo(1);
		assertThat(count(old)).isZero();
		assertThat(count(fresh)).isEqualTo(1);
		// the record outlives the deletion as long as the proof could still be accepted: still refused
		assertThat(proofs.firstUse(fresh, Instant.now().plusSeconds(60))).isFalse();
	}

	@Test
	void nonceKeyWhenTwoNodesOfferKeysThenBothUseTheFirst() {
		String first = proofs.nonceKey("key-of-node-a-" + UUID.randomUUID());
		String second = proofs.nonceKey("key-of-node-b-" + UUID.randomUUID());
		assertThat(second).isEqualTo(first);
		assertThat(new DPoPNonces(new JdbcDPoPProofRepository(jdbc)).current())
			.isEqualTo(new DPoPNonces(new JdbcDPoPProofRepository(jdbc)).current());
	}

	private long count(String hash) {
		return jdbc.sql("select count(*) from dpop_proof where jti_hash = :hash").param("hash", hash)
			.query(Long.class).single();
	}

}
