package io.gatehouse.signing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.support.TestDatabases;
import io.gatehouse.support.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The beans as Spring's authorization server and resource server use them: NimbusJwtEncoder over the JWKSource (as
 * Spring's JwtGenerator builds it), the JWK Set endpoint's select-all, the decoder, and the active-key encoder.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@Import({ JdbcSigningKeyRepository.class, KeyEncryptionKeys.class })
class SigningKeyJwkSourceTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
	}

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JdbcSigningKeyRepository repository;

	@Autowired
	PlatformTransactionManager transactionManager;

	final MutableClock clock = new MutableClock(SigningKeysTests.START);

	final SigningKeyConfiguration configuration = new SigningKeyConfiguration();

	@BeforeEach
	void emptyTable() {
		jdbc.sql("delete from signing_key").update();
	}

	@Test
	void getWhenEncoderSelectsByAlgorithmDuringOverlapThenOnlyActiveKeySigns() {
		SigningKeys keys = keys(SigningKeysTests.DEFAULTS);
		String first = keys.activeKey().kid();
		rotate(keys);
		// NimbusJwtEncoder refuses to choose between two matching keys, and can only sign with a private one
		JwtEncoder encoder = new NimbusJwtEncoder(configuration.jwkSource(keys));

		Jwt jwt = encoder.encode(parameters(JwsHeader.with(SignatureAlgorithm.RS256).type("at+jwt").build()));

		assertThat(jwt.getHeaders()).containsEntry("kid", first);
		clock.advance(Duration.ofDays(1));
		String next = String
			.valueOf(encoder.encode(parameters(JwsHeader.with(SignatureAlgorithm.RS256).build())).getHeaders()
			.get("kid"));
		assertThat(next).isNotEqualTo(first).isEqualTo(keys.activeKey().kid());
	}

	@Test
	void getWhenJwkSetEndpointSelectsAllDuringOverlapThenEveryPublishedKeyWithoutPrivateParts() throws Exception {
		SigningKeys keys = keys(SigningKeysTests.DEFAULTS);
		rotate(keys);

		// NimbusJwkSetEndpointFilter's selector
		List<JWK> published = configuration.jwkSource(keys).get(new JWKSelector(new JWKMatcher.Builder().build()),
				null);

		assertThat(published).hasSize(2).noneMatch(JWK::isPrivate);
	}

	@Test
	void getWhenEncoderSelectsAlgorithmOfNoActiveKeyThenNothing() throws Exception {
		SigningKeys keys = keys(SigningKeysTests.DEFAULTS);
		JWKSource<SecurityContext> source = configuration.jwkSource(keys);

		List<JWK> es256 = source.get(new JWKSelector(new JWKMatcher.Builder()
			.keyType(com.nimbusds.jose.jwk.KeyType.EC)
			.algorithms(com.nimbusds.jose.JWSAlgorithm.ES256, null)
			.build()), null);

		assertThat(es256).isEmpty();
	}

	@Test
	void decodeWhenSignedByRetiredKeyThenValidUntilTheKeyLeavesTheJwks() {
		SigningKeys keys = keys(SigningKeysTests.DEFAULTS);
		JwtEncoder encoder = configuration.jwtEncoder(keys);
		// time checks off: the token outlives nothing here but its key
		NimbusJwtDecoder decoder = SigningKeyDecoders.forSigningKeys(configuration.jwkSource(keys));
		decoder.setJwtValidator(jwt -> OAuth2TokenValidatorResult.success());
		rotate(keys);
		clock.advance(Duration.ofDays(1).minusSeconds(1));
		String lastOfFirstKey = encoder.encode(parameters(null)).getTokenValue();
		clock.advance(Duration.ofSeconds(1));
		String firstOfNextKey = encoder.encode(parameters(null)).getTokenValue();

		assertThat(decoder.decode(lastOfFirstKey).getSubject()).isEqualTo("42");
		assertThat(decoder.decode(firstOfNextKey).getSubject()).isEqualTo("42");

		clock.advance(Duration.ofHours(1).plusSeconds(60).plus(SigningKeys.RELOAD_INTERVAL));
		assertThatExceptionOfType(BadJwtException.class).isThrownBy(() -> decoder.decode(lastOfFirstKey))
			.withMessageContaining("no matching key");
		assertThat(decoder.decode(firstOfNextKey).getSubject()).isEqualTo("42");
	}

	@ParameterizedTest
	@EnumSource(SigningAlgorithm.class)
	void encodeWhenAlgorithmConfiguredThenSignedWithItAndVerifiedByNimbusAndTheDecoder(SigningAlgorithm algorithm)
			throws Exception {
		SigningKeys keys = keys(new SigningKeySettings(algorithm.name(), Duration.ofDays(30), Duration.ofDays(1),
				Duration.ofHours(1), 2048));
		// Spring's JwtGenerator always starts from RS256; the active key decides
		JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).type("at+jwt").build();

		Jwt jwt = configuration.jwtEncoder(keys).encode(parameters(header));

		SignedJWT parsed = SignedJWT.parse(jwt.getTokenValue());
		assertThat(parsed.getHeader().getAlgorithm().getName()).isEqualTo(algorithm.name());
		assertThat(parsed.getHeader().getType().getType()).isEqualTo("at+jwt");
		JWK published = keys.publicKeys().getKeyByKeyId(parsed.getHeader().getKeyID());
		JWSVerifier verifier = new DefaultJWSVerifierFactory().createJWSVerifier(parsed.getHeader(),
				((AsymmetricJWK) published).toPublicKey());
		assertThat(parsed.verify(verifier)).isTrue();
		assertThat(decoder(keys).decode(jwt.getTokenValue()).getSubject()).isEqualTo("42");
	}

	@Test
	void decodeWhenSignatureAlteredThenRefused() {
		SigningKeys keys = keys(SigningKeysTests.DEFAULTS);
		String token = configuration.jwtEncoder(keys).encode(parameters(null)).getTokenValue();
		String altered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");

		assertThatExceptionOfType(BadJwtException.class)
			.isThrownBy(() -> decoder(keys).decode(altered));
	}

	/** The bean, with Spring's default time checks on the test's clock. */
	private JwtDecoder decoder(SigningKeys keys) {
		NimbusJwtDecoder decoder = SigningKeyDecoders.forSigningKeys(configuration.jwkSource(keys));
		JwtTimestampValidator timestamps = new JwtTimestampValidator();
		timestamps.setClock(clock);
		decoder.setJwtValidator(timestamps);
		return decoder;
	}

	private SigningKeys keys(SigningKeySettings settings) {
		SigningKeys keys = new SigningKeys(repository, transactionManager, settings, clock);
		keys.refresh();
		return keys;
	}

	/** Moves to the end of the rotation period: the next key is published and will sign after the overlap. */
	private void rotate(SigningKeys keys) {
		clock.advance(Duration.ofDays(30));
		keys.refresh();
		assertThat(keys.publicKeys().getKeys()).hasSize(2);
	}

	private JwtEncoderParameters parameters(JwsHeader header) {
		Instant now = clock.instant();
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer("https://gatehouse.example")
			.subject("42")
			.issuedAt(now)
			.expiresAt(now.plus(Duration.ofMinutes(10)))
			.build();
		return header == null ? JwtEncoderParameters.from(claims) : JwtEncoderParameters.from(header, claims);
	}

}
