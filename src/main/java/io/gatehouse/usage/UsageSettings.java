package io.gatehouse.usage;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long token usage is kept ({@code GATEHOUSE_USAGE_RETENTION}): hourly rows older than this are deleted once a
 * day. At least the 30 days the charts show.
 *
 * @param retention how long an hour's counts are kept
 */
@ConfigurationProperties("gatehouse.usage")
public record UsageSettings(@DefaultValue("400d") Duration retention) {

	public UsageSettings {
		if (retention.compareTo(Duration.ofDays(30)) < 0) {
			throw new IllegalStateException("GATEHOUSE_USAGE_RETENTION must be at least 30 days (the charts show 30); "
					+ "it is " + retention + ".");
		}
	}

}
