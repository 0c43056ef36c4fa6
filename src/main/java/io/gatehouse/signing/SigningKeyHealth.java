package io.gatehouse.signing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness needs a key that signs: without one the token endpoint cannot answer. Also the key's gauges,
 * {@code gatehouse.signing.key.age} and {@code gatehouse.signing.key.rotation.due} (seconds until the next key is
 * created), so an alert can fire when rotation has stalled. Both read the cached key ring: no query per probe.
 */
@Component("signingKey")
final class SigningKeyHealth implements HealthIndicator {

	private final SigningKeys keys;

	private final SigningKeySettings settings;

	SigningKeyHealth(SigningKeys keys, SigningKeySettings settings, MeterRegistry registry) {
		this.keys = keys;
		this.settings = settings;
		Gauge.builder("gatehouse.signing.key.age", this, health -> health.activeKeyAge().toSeconds())
			.description("Seconds since the active signing key started signing")
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder("gatehouse.signing.key.rotation.due", this, health -> health.untilRotation().toSeconds())
			.description("Seconds until the next signing key is due to be created (negative: overdue)")
			.baseUnit("seconds")
			.register(registry);
	}

	@Override
	public Health health() {
		Optional<SigningKey> active = active();
		if (active.isEmpty()) {
			return Health.down().withDetail("reason", "no active signing key").build();
		}
		return Health.up().withDetail("kid", active.get().kid()).withDetail("algorithm",
				active.get().algorithm().name()).build();
	}

	private Optional<SigningKey> active() {
		try {
			return keys.activeKeyIfAny();
		}
		catch (RuntimeException ex) {
			// the key ring could not be loaded (database down): not ready
			return Optional.empty();
		}
	}

	private Duration activeKeyAge() {
		return active().map(key -> Duration.between(key.activatesAt(), keys.now())).orElse(Duration.ZERO);
	}

	private Duration untilRotation() {
		Instant now = keys.now();
		return active().map(key -> Duration.between(now, key.activatesAt().plus(settings.rotationPeriod())
				.minus(settings.overlap()))).orElse(Duration.ZERO);
	}

}
