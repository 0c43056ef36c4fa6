package io.gatehouse.oauth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The per-address limit on failed client authentication at the OAuth endpoints
 * ({@code GATEHOUSE_RATE_LIMIT_PER_ADDRESS}, requests per second, 0 for none;
 * {@code GATEHOUSE_RATE_LIMIT_PER_ADDRESS_BURST}). Each node enforces it in full.
 */
@ConfigurationProperties("gatehouse.rate-limit")
record RateLimitProperties(@DefaultValue("50") int perAddress, @DefaultValue("100") int perAddressBurst) {

	RateLimitProperties {
		if (perAddress < 0 || perAddress > 100_000) {
			throw new IllegalStateException(
					"GATEHOUSE_RATE_LIMIT_PER_ADDRESS must be between 0 and 100000, not " + perAddress + ".");
		}
		if (perAddressBurst < 1 || perAddressBurst > 1_000_000) {
			throw new IllegalStateException("GATEHOUSE_RATE_LIMIT_PER_ADDRESS_BURST must be between 1 and 1000000, not "
					+ perAddressBurst + ".");
		}
	}

}
