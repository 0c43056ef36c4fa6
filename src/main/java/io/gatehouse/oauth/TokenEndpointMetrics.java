package io.gatehouse.oauth;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Metrics of the token and introspection endpoints, taken around the whole security chain (client authentication
 * included): {@code gatehouse.oauth.token.requests} (a latency histogram by grant type and outcome),
 * {@code gatehouse.oauth.tokens.issued} by grant type, {@code gatehouse.oauth.token.errors} by RFC 6749 error code,
 * and {@code gatehouse.oauth.introspection.requests}. Tag values come from closed lists (anything else is
 * {@code other}), so a client sending made-up grant types cannot grow the number of series. The cost per request is
 * a map lookup and a timer record, no I/O.
 */
@Component
final class TokenEndpointMetrics extends OncePerRequestFilter implements Ordered {

	private static final Set<String> GRANT_TYPES = Set.of("authorization_code", "client_credentials", "refresh_token",
			"password", "urn:ietf:params:oauth:grant-type:device_code",
			"urn:ietf:params:oauth:grant-type:token-exchange");

	private static final Set<String> ERROR_CODES = Set.of(OAuth2ErrorCodes.INVALID_REQUEST,
			OAuth2ErrorCodes.INVALID_CLIENT, OAuth2ErrorCodes.INVALID_GRANT, OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
			OAuth2ErrorCodes.UNSUPPORTED_GRANT_TYPE, OAuth2ErrorCodes.INVALID_SCOPE, OAuth2ErrorCodes.SERVER_ERROR,
			OAuth2ErrorCodes.TEMPORARILY_UNAVAILABLE, OAuth2ErrorCodes.INVALID_DPOP_PROOF, "use_dpop_nonce",
			// RFC 8628 3.5 and RFC 8693 2.2.2
			"authorization_pending", "slow_down", OAuth2ErrorCodes.ACCESS_DENIED, "expired_token", "invalid_target");

	private static final String OTHER = "other";

	private final MeterRegistry registry;

	private final String tokenEndpoint;

	private final String introspectionEndpoint;

	private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

	TokenEndpointMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.tokenEndpoint = AuthorizationServerConfiguration.TOKEN_ENDPOINT;
		this.introspectionEndpoint = AuthorizationServerConfiguration.INTROSPECTION_ENDPOINT;
	}

	/** Before Spring Security's chain (order -100), so client authentication is part of the measured time. */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		return !path.equals(tokenEndpoint) && !path.equals(introspectionEndpoint);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long start = System.nanoTime();
		try {
			chain.doFilter(request, response);
		}
		finally {
			record(request, response.getStatus(), System.nanoTime() - start);
		}
	}

	private void record(HttpServletRequest request, int status, long nanos) {
		String outcome = status < 400 ? "success" : "error";
		if (request.getRequestURI().equals(introspectionEndpoint)) {
			timer("gatehouse.oauth.introspection.requests", "outcome", outcome, null, null)
				.record(nanos, TimeUnit.NANOSECONDS);
			return;
		}
		String grantType = known(GRANT_TYPES, request.getParameter("grant_type"));
		timer("gatehouse.oauth.token.requests", "grant_type", grantType, "outcome", outcome)
			.record(nanos, TimeUnit.NANOSECONDS);
		if (status == HttpServletResponse.SC_OK) {
			counter("gatehouse.oauth.tokens.issued", "Tokens issued by the token endpoint, by grant type",
					"grant_type", grantType)
				.increment();
		}
		else if (status >= 400) {
			Object code = request.getAttribute(OAuthErrorResponses.ERROR_CODE_ATTRIBUTE);
			counter("gatehouse.oauth.token.errors", "Error responses of the token endpoint, by RFC 6749 error code",
					"error", known(ERROR_CODES, code instanceof String string ? string : null))
				.increment();
		}
	}

	private static String known(Set<String> values, String value) {
		return value != null && values.contains(value) ? value : OTHER;
	}

	private Timer timer(String name, String tag, String value, String tag2, String value2) {
		return timers.computeIfAbsent(name + '|' + value + '|' + value2, key -> {
			Timer.Builder builder = Timer.builder(name).tag(tag, value).publishPercentileHistogram()
				.minimumExpectedValue(Duration.ofMillis(1))
				.maximumExpectedValue(Duration.ofSeconds(10));
			if (tag2 != null) {
				builder.tag(tag2, value2);
			}
			return builder.register(registry);
		});
	}

	private Counter counter(String name, String description, String tag, String value) {
		return counters.computeIfAbsent(name + '|' + value,
				key -> Counter.builder(name).description(description).tag(tag, value).register(registry));
	}

}
