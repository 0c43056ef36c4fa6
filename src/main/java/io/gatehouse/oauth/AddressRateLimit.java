package io.gatehouse.oauth;

import java.io.IOException;
import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The server-wide limit per source address on unauthenticated requests to the OAuth endpoints: those answered 401
 * (client authentication failed, or no client credentials at all). An address gets
 * {@link RateLimitProperties#perAddressBurst()} such failures at once and {@link RateLimitProperties#perAddress()}
 * per second after that; beyond it, every request of that address to {@code /oauth/} is answered 429 with
 * {@code Retry-After} and counted ({@code gatehouse.rate_limited}, {@code kind=address}). Buckets live in memory,
 * per node (each node enforces the whole limit), only for addresses that failed lately, so a client that
 * authenticates costs one cache miss and nothing is written.
 */
@Component
final class AddressRateLimit extends OncePerRequestFilter implements Ordered {

	private final RateLimitProperties limits;

	private final Counter limited;

	/** Buckets of the addresses that failed to authenticate lately; bounded, and dropped once idle. */
	private final Cache<String, TokenBucket> buckets = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterAccess(Duration.ofMinutes(10))
		.build();

	AddressRateLimit(RateLimitProperties limits, MeterRegistry registry) {
		this.limits = limits;
		this.limited = Counter.builder("gatehouse.rate_limited")
			.description("Requests answered 429 by a rate limit, by kind")
			.tag("kind", "address")
			.register(registry);
	}

	/** Before Spring Security's chain (order -100), so client authentication happens inside it. */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 5;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return limits.perAddress() == 0 || !request.getRequestURI().startsWith("/oauth/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String address = request.getRemoteAddr();
		TokenBucket bucket = buckets.getIfPresent(address);
		if (bucket != null && !bucket.tryTake(System.nanoTime())) {
			limited.increment();
			TooManyRequests.answer(response, bucket.secondsUntilNext(System.nanoTime()),
					"Too many failed client authentications from this address.");
			return;
		}
		chain.doFilter(request, response);
		boolean failed = response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED;
		if (bucket == null && failed) {
			buckets.get(address, key -> new TokenBucket(limits.perAddress(), limits.perAddressBurst(),
					System.nanoTime())).take(System.nanoTime());
		}
		else if (bucket != null && !failed) {
			// only failures count: a request that authenticated gives its token back
			bucket.giveBack();
		}
	}

}
