package io.gatehouse.audit;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long audit records are kept ({@code GATEHOUSE_AUDIT_RETENTION}, default a year). Checked when bound: a bad
 * value stops start-up with a message that starts with the environment variable.
 */
@ConfigurationProperties("gatehouse.audit")
public record AuditSettings(@DefaultValue("365d") Duration retention) {

	static final Duration MINIMUM = Duration.ofDays(1);

	public AuditSettings {
		if (retention.compareTo(MINIMUM) < 0) {
			throw new IllegalStateException("GATEHOUSE_AUDIT_RETENTION is " + retention
					+ "; keep audit records at least a day (1d), such as 365d.");
		}
	}

}
