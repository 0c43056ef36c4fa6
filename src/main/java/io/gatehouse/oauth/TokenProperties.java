package io.gatehouse.oauth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Token lifetimes ({@code gatehouse.tokens.*}, or {@code GATEHOUSE_TOKENS_ACCESS_TOKEN_TTL} and so on) and the issuer
 * ({@code GATEHOUSE_ISSUER}).
 *
 * @param issuer the {@code iss} of every token; empty means the server's own base URL, taken from each request
 * @param refreshGracePeriod how long after a refresh token rotated it is accepted once more
 *        ({@code GATEHOUSE_TOKENS_REFRESH_GRACE_PERIOD}; 0, the default, for never; at most 60 s)
 */
@ConfigurationProperties("gatehouse.tokens")
record TokenProperties(@DefaultValue("10m") Duration accessTokenTtl, @DefaultValue("14d") Duration refreshTokenTtl,
		@DefaultValue("60s") Duration authorizationCodeTtl, @DefaultValue("") String issuer,
		@DefaultValue("0s") Duration refreshGracePeriod) {

	TokenProperties {
		require(accessTokenTtl, Duration.ofSeconds(30), Duration.ofHours(24), "GATEHOUSE_TOKENS_ACCESS_TOKEN_TTL");
		require(refreshTokenTtl, Duration.ofMinutes(5), Duration.ofDays(365), "GATEHOUSE_TOKENS_REFRESH_TOKEN_TTL");
		require(authorizationCodeTtl, Duration.ofSeconds(10), Duration.ofMinutes(10),
				"GATEHOUSE_TOKENS_AUTHORIZATION_CODE_TTL");
		require(refreshGracePeriod, Duration.ZERO, Duration.ofSeconds(60), "GATEHOUSE_TOKENS_REFRESH_GRACE_PERIOD");
	}

	private static void require(Duration value, Duration min, Duration max, String variable) {
		if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
			throw new IllegalStateException(
					variable + " must be between " + min + " and " + max + ", not " + value + ".");
		}
	}

}
