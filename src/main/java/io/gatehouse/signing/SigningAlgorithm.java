package io.gatehouse.signing;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;

/**
 * The JWS algorithms Gatehouse signs with: those Spring's {@code NimbusJwtEncoder} can select a key for (RSA and EC
 * families). EdDSA is not offered: the encoder builds no key matcher for OKP keys, Spring's {@link SignatureAlgorithm}
 * has no EdDSA, and Nimbus signs Ed25519 only with Google Tink on the classpath.
 */
enum SigningAlgorithm {

	RS256(SignatureAlgorithm.RS256), PS256(SignatureAlgorithm.PS256), ES256(SignatureAlgorithm.ES256);

	private final SignatureAlgorithm spring;

	SigningAlgorithm(SignatureAlgorithm spring) {
		this.spring = spring;
	}

	static Optional<SigningAlgorithm> parse(String name) {
		return Arrays.stream(values()).filter(a -> a.name().equals(name.trim().toUpperCase(Locale.ROOT))).findFirst();
	}

	SignatureAlgorithm spring() {
		return spring;
	}

	JWSAlgorithm jws() {
		return JWSAlgorithm.parse(name());
	}

	boolean isRsa() {
		return this != ES256;
	}

	/** A new key pair as a private JWK with {@code use=sig}, {@code alg} and a {@code kid} (RFC 7638 thumbprint). */
	JWK generate(int rsaKeySize) {
		try {
			if (isRsa()) {
				return new RSAKeyGenerator(rsaKeySize).keyUse(KeyUse.SIGNATURE)
					.algorithm(jws())
					.keyIDFromThumbprint(true)
					.generate();
			}
			return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE)
				.algorithm(jws())
				.keyIDFromThumbprint(true)
				.generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not generate a " + name() + " signing key", ex);
		}
	}

}
