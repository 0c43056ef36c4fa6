package io.gatehouse.outbound;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Outbound HTTP server-wide. Checked when bound: a bad value stops start-up with a message that starts with the
 * environment variable to fix.
 *
 * @param allowPrivate {@code GATEHOUSE_OUTBOUND_ALLOW_PRIVATE}: also call loopback, private (RFC 1918, fc00::/7),
 *        link-local and CGNAT addresses, and plain http to loopback; for a server whose clients live on its own
 *        network
 * @param connectTimeout {@code GATEHOUSE_OUTBOUND_CONNECT_TIMEOUT}: how long to wait for a connection
 * @param readTimeout {@code GATEHOUSE_OUTBOUND_READ_TIMEOUT}: how long to wait for the response headers, for each
 *        read, and for the whole body once the headers arrived
 */
@ConfigurationProperties("gatehouse.outbound")
record OutboundSettings(@DefaultValue("false") boolean allowPrivate, @DefaultValue("2s") Duration connectTimeout,
		@DefaultValue("3s") Duration readTimeout) {

	private static final Duration LONGEST = Duration.ofSeconds(30);

	OutboundSettings {
		check("GATEHOUSE_OUTBOUND_CONNECT_TIMEOUT", connectTimeout);
		check("GATEHOUSE_OUTBOUND_READ_TIMEOUT", readTimeout);
	}

	private static void check(String variable, Duration timeout) {
		if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(LONGEST) > 0) {
			throw new IllegalStateException(
					variable + " is " + timeout + "; use a duration above 0 and at most 30s, such as 2s.");
		}
	}

}
