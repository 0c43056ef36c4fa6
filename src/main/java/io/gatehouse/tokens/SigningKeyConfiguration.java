package io.gatehouse.tokens;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * The beans the authorization and resource server use: the keys as a {@link JWKSource} (JWK Set endpoint, and a
 * plain {@code NimbusJwtEncoder} if one is built on it), a {@link JwtEncoder} that signs with the active key's own
 * algorithm, and a {@link JwtDecoder} that verifies against the published keys in process.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(SigningKeySettings.class)
class SigningKeyConfiguration {

	@Bean
	JWKSource<SecurityContext> jwkSource(SigningKeys keys) {
		return new SigningKeyJwkSource(keys);
	}

	@Bean
	JwtEncoder jwtEncoder(SigningKeys keys) {
		return new ActiveKeyJwtEncoder(keys);
	}

	/**
	 * Accepts every algorithm Gatehouse can sign with: each published key carries its {@code alg}, and a token's
	 * {@code kid} and {@code alg} must both match a key, so a token cannot switch an RSA key to another algorithm.
	 * Validators are Spring's defaults (expiry, not-before, 60 s skew); the application's decoder bean
	 * ({@code AuthorizationServerConfiguration#jwtDecoder}) adds the RFC 9068, audience and issuer checks.
	 */
	JwtDecoder jwtDecoder(JWKSource<SecurityContext> jwkSource) {
		return NimbusJwtDecoder.withJwkSource(jwkSource).jwsAlgorithms(algorithms -> {
			for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
				algorithms.add(algorithm.spring());
			}
		}).build();
	}

}
