package io.gatehouse.oauth;

import java.io.IOException;
import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.clients.ClientPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The per-client limit on token requests ({@code rate_limit} of an auth client): a token bucket per client, in memory
 * on each node (each node enforces the whole limit, so N nodes allow up to N times it), never a write. Its filter
 * runs after client authentication and before the token endpoint; a client without a limit costs one settings
 * lookup. A changed limit applies as soon as the client's cache entry is dropped ({@code client} signal): the bucket
 * is remade with the new figures.
 */
@Component
class ClientRateLimits {

	private final Counter limited;

	/** By client id, with the limit each bucket was made for; bounded, and dropped once idle. */
	private final Cache<String, Limited> buckets = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterAccess(Duration.ofMinutes(10))
		.build();

	ClientRateLimits(MeterRegistry registry) {
		this.limited = Counter.builder("gatehouse.rate_limited")
			.description("Requests answered 429 by a rate limit, by kind")
			.tag("kind", "client")
			.register(registry);
	}

	private record Limited(ClientPolicy.RateLimit limit, TokenBucket bucket) {
	}

	/** Seconds to wait when the client is over its limit; null when it may go on (and a token was taken). */
	@Nullable Long refuse(RegisteredClient client) {
		Object setting = client.getClientSettings().getSetting(AuthClientRegisteredClientRepository.RATE_LIMIT);
		if (!(setting instanceof ClientPolicy.RateLimit limit)) {
			return null;
		}
		long now = System.nanoTime();
		Limited current = buckets.get(client.getClientId(), id -> made(limit, now));
		if (!current.limit().equals(limit)) {
			current = made(limit, now);
			buckets.put(client.getClientId(), current);
		}
		if (current.bucket().tryTake(now)) {
			return null;
		}
		limited.increment();
		return current.bucket().secondsUntilNext(now);
	}

	private static Limited made(ClientPolicy.RateLimit limit, long now) {
		return new Limited(limit, new TokenBucket(limit.perSecond(), limit.burst(), now));
	}

	/** The filter for the token endpoint: 429 with {@code Retry-After} and an OAuth-style JSON body. */
	OncePerRequestFilter filter(String tokenEndpoint) {
		return new OncePerRequestFilter() {

			@Override
			protected boolean shouldNotFilter(HttpServletRequest request) {
				return !request.getRequestURI().equals(tokenEndpoint);
			}

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
					FilterChain chain) throws ServletException, IOException {
				Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
				Long retryAfter = authentication instanceof OAuth2ClientAuthenticationToken client
						&& client.isAuthenticated() && client.getRegisteredClient() != null
								? refuse(client.getRegisteredClient()) : null;
				if (retryAfter == null) {
					chain.doFilter(request, response);
					return;
				}
				TooManyRequests.answer(response, retryAfter, "The client's rate limit is reached.");
			}

		};
	}

}
