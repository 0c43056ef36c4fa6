package io.gatehouse.webhooks;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook delivery settings ({@code gatehouse.webhooks.*}); timeouts and the address rules are the outbound
 * module's ({@code GATEHOUSE_OUTBOUND_*}).
 *
 * @param pollInterval how often each node looks for due deliveries ({@code GATEHOUSE_WEBHOOKS_POLL_INTERVAL})
 * @param retention how long delivered and failed deliveries stay in the delivery log
 *     ({@code GATEHOUSE_WEBHOOKS_RETENTION})
 */
@ConfigurationProperties("gatehouse.webhooks")
record WebhookSettings(@DefaultValue("2s") Duration pollInterval, @DefaultValue("30d") Duration retention) {

	WebhookSettings {		if (pollInterval.isNegative() || pollInterval.isZero()) {
			throw new IllegalStateException("gatehouse.webhooks.poll-interval is " + pollInterval
					+ "; use a positive duration, such as 2s.");
		}
	}

}
