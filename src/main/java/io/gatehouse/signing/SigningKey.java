package io.gatehouse.signing;

import java.time.Instant;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import org.jspecify.annotations.Nullable;

/**
 * One signing key and its life: published from creation, signs from {@code activatesAt} until {@code retiresAt}
 * (null while it has no successor), published until {@code expiresAt}.
 *
 * @param jwk the key including its private part; never publish it as is, use {@link JWK#toPublicJWK()}
 */
record SigningKey(String kid, SigningAlgorithm algorithm, JWK jwk, Instant createdAt, Instant activatesAt,
		@Nullable Instant retiresAt, @Nullable Instant expiresAt) {

	boolean signsAt(Instant now) {
		return !activatesAt.isAfter(now) && (retiresAt == null || now.isBefore(retiresAt));
	}

	boolean pendingAt(Instant now) {
		return activatesAt.isAfter(now);
	}

	boolean publishedAt(Instant now) {
		return expiresAt == null || now.isBefore(expiresAt);
	}

	/** Whether new keys made with these settings would differ, so this key should be replaced. */
	boolean differsFrom(SigningKeySettings settings) {
		return algorithm != settings.signingAlgorithm()
				|| (jwk instanceof RSAKey rsa && rsa.size() != settings.rsaKeySize());
	}

}
