package io.gatehouse.webhooks;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook delivery settings ({@code gatehouse.webhooks.*}).
 *
 * @param pollInterval how often each node looks for due deliveries ({@code GATEHOUSE_WEBHOOKS_POLL_INTERVAL})
 * @param timeout how long one attempt may take, connecting included; well under the claim's lease
 * @param retention how long delivered and failed deliveries stay in the delivery log
 * @param allowLoopbackHttp whether {@code http://} URLs to this machine (127.0.0.1, ::1, localhost) are allowed, for
 *     a receiver running beside the server or in tests; any other URL must be {@code https://} to a public address
 */
@ConfigurationProperties("gatehouse.webhooks")
record WebhookSettings(@DefaultValue("2s") Duration pollInterval, @DefaultValue("10s") Duration timeout,
		@DefaultValue("30d") Duration retention, @DefaultValue("false") boolean allowLoopbackHttp) {

	WebhookSettings {
		if (timeout.compareTo(WebhookDispatcher.LEASE.dividedBy(10)) > 0 || timeout.isNegative() || timeout.isZero()) {
			throw new IllegalStateException("gatehouse.webhooks.timeout is " + timeout + "; use 1s to "
					+ WebhookDispatcher.LEASE.dividedBy(10).toSeconds() + "s, such as 10s.");
		}
		if (pollInterval.isNegative() || pollInterval.isZero()) {
			throw new IllegalStateException("gatehouse.webhooks.poll-interval is " + pollInterval
					+ "; use a positive duration, such as 2s.");
		}
	}

}
