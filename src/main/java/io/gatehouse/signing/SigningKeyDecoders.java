package io.gatehouse.signing;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** Decoders that verify JWTs in process against the signing keys, whichever of them signed. */
public final class SigningKeyDecoders {

	private SigningKeyDecoders() {
	}

	/**
	 * Accepts every algorithm Gatehouse can sign with: each published key carries its {@code alg}, and a token's
	 * {@code kid} and {@code alg} must both match a key, so a token cannot switch an RSA key to another algorithm.
	 * Validators are Spring's defaults (expiry, not-before, 60 s skew); callers add what their tokens must also be
	 * ({@code oauth.AuthorizationServerConfiguration#jwtDecoder}: RFC 9068 type, audience, issuer).
	 *
	 * @param keys the {@code JWKSource} bean of this module
	 */
	public static NimbusJwtDecoder forSigningKeys(JWKSource<SecurityContext> keys) {
		return NimbusJwtDecoder.withJwkSource(keys).jwsAlgorithms(algorithms -> {
			for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
				algorithms.add(algorithm.spring());
			}
		}).build();
	}

}
