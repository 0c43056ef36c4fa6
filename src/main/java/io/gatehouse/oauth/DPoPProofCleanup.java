package io.gatehouse.oauth;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes the recorded {@code jti} of DPoP proofs too old to be accepted anyway ({@link DPoPProofs#MAX_AGE} and
 * some slack past their {@code iat}), every minute on one node, so the table holds about the last minute and a half
 * of proofs.
 */
@Component
class DPoPProofCleanup {

	private final JdbcDPoPProofRepository repository;

	DPoPProofCleanup(JdbcDPoPProofRepository repository) {
		this.repository = repository;
	}

	@Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1M")
	@SchedulerLock(name = "dpop-proof-cleanup", lockAtLeastFor = "PT50S", lockAtMostFor = "PT50S")
	public void deleteExpired() {
		repository.deleteExpired(OffsetDateTime.now(ZoneOffset.UTC));
	}

}
