package io.gatehouse.oauth;

/**
 * A token bucket: {@code burst} at most, refilled at {@code perSecond}. Synchronized rather than lock-free: a bucket
 * is shared only by the requests of one source address that has failed to authenticate lately, so there is no
 * contention to speak of, and the arithmetic stays plain.
 */
final class TokenBucket {

	private final double perNano;

	private final double burst;

	private double tokens;

	private long refilledAt;

	TokenBucket(int perSecond, int burst, long now) {
		this.perNano = perSecond / 1e9;
		this.burst = burst;
		this.tokens = burst;
		this.refilledAt = now;
	}

	/** Takes a token if one is left. */
	synchronized boolean tryTake(long now) {
		refill(now);
		if (tokens < 1) {
			return false;
		}
		tokens -= 1;
		return true;
	}

	/** Takes a token whether or not one is left: a failure that got through before the bucket existed. */
	synchronized void take(long now) {
		refill(now);
		tokens -= 1;
	}

	synchronized void giveBack() {
		tokens = Math.min(burst, tokens + 1);
	}

	/** Whole seconds until a token is back, at least 1. */
	synchronized long secondsUntilNext(long now) {
		refill(now);
		return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
	}

	private void refill(long now) {
		tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
		refilledAt = now;
	}

}
