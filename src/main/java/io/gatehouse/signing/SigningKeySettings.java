package io.gatehouse.signing;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How tokens are signed. Checked when bound: a bad value stops start-up with a message that starts with the
 * environment variable to fix (see {@code io.gatehouse.config.GatehouseSettingFailureAnalyzer}).
 *
 * @param algorithm the JWS algorithm of new keys: RS256, PS256 or ES256
 * @param rotationPeriod how long a key signs before the next one takes over
 * @param overlap how long the next key is published in the JWKS before it signs; more than the longest token
 * lifetime plus clock skew, so verifiers that cache the JWKS know it in time
 * @param maxTokenLifetime the longest lifetime of a token signed with these keys (access and ID tokens); a retired
 * key stays in the JWKS this long plus the clock skew
 * @param rsaKeySize 2048 or 3072 bits, for the RSA algorithms
 */
@ConfigurationProperties("gatehouse.tokens.signing")
public record SigningKeySettings(@DefaultValue("RS256") String algorithm, @DefaultValue("30d") Duration rotationPeriod,
		@DefaultValue("1d") Duration overlap, @DefaultValue("1h") Duration maxTokenLifetime,
		@DefaultValue("2048") int rsaKeySize) {

	/**
	 * Verifiers accept this much difference between their clock and ours (Spring's JwtTimestampValidator's default).
	 */
	static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

	public SigningKeySettings {
		if (SigningAlgorithm.parse(algorithm).isEmpty()) {
			throw new IllegalStateException("GATEHOUSE_TOKENS_SIGNING_ALGORITHM is \"" + algorithm + "\"; use one of "
					+ Arrays.stream(SigningAlgorithm.values()).map(Enum::name).collect(Collectors.joining(", "))
					+ ".");
		}
		if (maxTokenLifetime.isNegative() || maxTokenLifetime.isZero()) {
			throw new IllegalStateException(
					"GATEHOUSE_TOKENS_SIGNING_MAX_TOKEN_LIFETIME must be positive; it is " + maxTokenLifetime + ".");
		}
		if (overlap.compareTo(maxTokenLifetime.plus(CLOCK_SKEW)) <= 0) {
			throw new IllegalStateException("GATEHOUSE_TOKENS_SIGNING_OVERLAP is " + overlap
					+ " but must exceed the longest token lifetime plus clock skew (" + maxTokenLifetime + " + "
					+ CLOCK_SKEW
					+ "), so every verifier sees the next key in the JWKS before anything is signed with it.");
		}
		if (rotationPeriod.compareTo(overlap) <= 0) {
			throw new IllegalStateException("GATEHOUSE_TOKENS_SIGNING_ROTATION_PERIOD is " + rotationPeriod
					+ " but must exceed the overlap (" + overlap + ").");
		}
		if (rsaKeySize != 2048 && rsaKeySize != 3072) {
			throw new IllegalStateException(
					"GATEHOUSE_TOKENS_SIGNING_RSA_KEY_SIZE is " + rsaKeySize + "; use 2048 or 3072.");
		}
	}

	SigningAlgorithm signingAlgorithm() {
		return SigningAlgorithm.parse(algorithm).orElseThrow();
	}

}
