package io.gatehouse.signing;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtEncodingException;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Signs with the active key, whatever algorithm the caller's header names: Spring's {@code JwtGenerator} always starts
 * from RS256, but the active key decides ({@code alg} and {@code kid} are set from it; {@code typ} and other headers
 * are kept). The key is read once per token, so a rotation between choosing the algorithm and signing cannot mix them.
 */
final class ActiveKeyJwtEncoder implements JwtEncoder {

	private final SigningKeys keys;

	private volatile @Nullable KeyEncoder current;

	ActiveKeyJwtEncoder(SigningKeys keys) {
		this.keys = keys;
	}

	@Override
	public Jwt encode(JwtEncoderParameters parameters) throws JwtEncodingException {
		SigningKey key = keys.activeKey();
		KeyEncoder encoder = current;
		if (encoder == null || !encoder.kid().equals(key.kid())) {
			encoder = new KeyEncoder(key.kid(), new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key.jwk()))));
			current = encoder;
		}
		JwsHeader given = parameters.getJwsHeader();
		JwsHeader.Builder header = (given != null) ? JwsHeader.from(given) : JwsHeader.with(key.algorithm().spring());
		header.algorithm(key.algorithm().spring()).keyId(key.kid());
		return encoder.encoder().encode(JwtEncoderParameters.from(header.build(), parameters.getClaims()));
	}

	private record KeyEncoder(String kid, NimbusJwtEncoder encoder) {
	}

}
