package io.gatehouse.signing;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;

/**
 * The beans the authorization and resource server use: the keys as a {@link JWKSource} (JWK Set endpoint, and a
 * plain {@code NimbusJwtEncoder} if one is built on it) and a {@link JwtEncoder} that signs with the active key's own
 * algorithm. {@link SigningKeyDecoders} builds the {@link JwtDecoder} that verifies against the published keys.
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

}
