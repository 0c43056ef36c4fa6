package io.gatehouse.personaltokens;

import java.time.Duration;
import java.time.Instant;

import io.gatehouse.cluster.ChangeSignal;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.InvalidatingCache;
import io.gatehouse.cluster.Topics;
import io.gatehouse.personaltokens.JdbcPersonalAccessTokenRepository.TokenHolder;

import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Personal access tokens found usable by the bearer lookup, keyed by the token's SHA-256 (the stored hash; the value
 * is never kept), so that a token presented again costs no database read. An entry serves only until the token
 * expires, and is dropped by every signal that can stop the token: {@code personal_access_token} (revoked),
 * {@code account} (its owner deactivated, deleted or changed) and {@code client} (its client deleted or no longer
 * allowing personal access tokens, which revokes them). On this node that happens in the changing request's thread
 * after its commit, so the next request is refused; on the others within {@link ChangeSignals#STALENESS_BOUND}.
 */
@Component
class UsablePersonalAccessTokens {

	static final int MAX_TOKENS = 10_000;

	/** A backstop only, for a change made behind Gatehouse's back (SQL): correctness comes from the signals. */
	static final Duration MAX_AGE = Duration.ofMinutes(10);

	private final JdbcPersonalAccessTokenRepository repository;

	private final InvalidatingCache<String, Usable> tokens;

	UsablePersonalAccessTokens(JdbcPersonalAccessTokenRepository repository, ChangeSignals signals) {
		this.repository = repository;
		this.tokens = signals.cache(MAX_TOKENS, MAX_AGE);
	}

	/** The usable token with this hash at {@code now}, or null when there is none (unknown, revoked, expired...). */
	@Nullable Usable find(String hash, Instant now) {
		Usable usable = tokens.get(hash, key -> load(key, now));
		if (usable == null || usable.servesAt(now)) {
			return usable;
		}
		tokens.invalidate(hash);
		return load(hash, now);
	}

	private @Nullable Usable load(String hash, Instant now) {
		return repository.findUsable(hash, now).map(Usable::new).orElse(null);
	}

	@EventListener
	void on(ChangeSignal signal) {
		if (signal.is(Topics.PERSONAL_ACCESS_TOKEN)) {
			tokens.invalidateIf(usable -> signal.key().equals(Long.toString(usable.holder().tokenId())));
		}
		else if (signal.is(Topics.ACCOUNT)) {
			tokens.invalidateIf(usable -> signal.key().equals(Long.toString(usable.holder().accountId())));
		}
		else if (signal.is(Topics.CLIENT)) {
			tokens.invalidateIf(usable -> signal.key().equals(usable.holder().clientId()));
		}
	}

	/** A token as the lookup found it, and when its use was last recorded ({@code last_used_at}). */
	static final class Usable {

		private final TokenHolder holder;

		private volatile @Nullable Instant lastUsedAt;

		Usable(TokenHolder holder) {
			this.holder = holder;
			this.lastUsedAt = holder.lastUsedAt();
		}

		TokenHolder holder() {
			return holder;
		}

		boolean servesAt(Instant now) {
			return holder.expiresAt() == null || now.isBefore(holder.expiresAt());
		}

		/** True once per interval: the caller then records the use. */
		boolean useDue(Instant now, Instant since) {
			Instant last = lastUsedAt;
			if (last != null && !last.isBefore(since)) {
				return false;
			}
			lastUsedAt = now;
			return true;
		}

	}

}
