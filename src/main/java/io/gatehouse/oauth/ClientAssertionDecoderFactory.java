package io.gatehouse.oauth;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.stereotype.Component;

/**
 * Verifies the client assertions of {@code private_key_jwt} clients (RFC 7523 2.2) for Spring's
 * {@code JwtClientAssertionAuthenticationProvider}: signed (RSA, RSA-PSS or ECDSA) by a key of the client's inline
 * JWKS or of its {@code jwks_uri} ({@link JwksUriKeys}), then checked per RFC 7523 3: {@code iss} and {@code sub} are
 * the client id, {@code aud} names this server (its issuer or the endpoint called), {@code exp} is present, not past
 * and at most {@link #MAX_LIFETIME} ahead, and {@code jti} is present and seen for the first time
 * ({@link ClientAssertionReplays}). Any failure, a key source that cannot be fetched included, ends as Spring's
 * {@code invalid_client}.
 */
@Component
class ClientAssertionDecoderFactory implements JwtDecoderFactory<RegisteredClient> {

	/** Client setting: a private_key_jwt client's inline JWKS (public keys, JSON). */
	static final String JWKS = "settings.client.gatehouse.jwks";

	/** The longest lifetime of an assertion: it only has to reach the token endpoint. */
	static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

	static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

	static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
			JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
			JWSAlgorithm.ES512);

	private final JwksUriKeys remoteKeys;

	private final ClientAssertionReplays replays;

	private final Clock clock;

	@Autowired
	ClientAssertionDecoderFactory(JwksUriKeys remoteKeys, ClientAssertionReplays replays) {
		this(remoteKeys, replays, Clock.systemUTC());
	}

	ClientAssertionDecoderFactory(JwksUriKeys remoteKeys, ClientAssertionReplays replays, Clock clock) {
		this.remoteKeys = remoteKeys;
		this.replays = replays;
		this.clock = clock;
	}

	@Override
	public JwtDecoder createDecoder(RegisteredClient client) {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keySource(client)));
		// the claims are checked by validate, with Gatehouse's rules and errors
		processor.setJWTClaimsSetVerifier((claims, context) -> {
		});
		NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
		decoder.setJwtValidator(jwt -> validate(client.getClientId(), jwt));
		return decoder;
	}

	private JWKSource<SecurityContext> keySource(RegisteredClient client) {
		String jwks = client.getClientSettings().getSetting(JWKS);
		if (jwks != null) {
			try {
				return new ImmutableJWKSet<>(JWKSet.parse(jwks));
			}
			catch (ParseException storedValid) {
				throw new BadJwtException("The client's stored JWKS cannot be read");
			}
		}
		String uri = client.getClientSettings().getJwkSetUrl();
		if (uri == null) {
			throw new BadJwtException("The client has no keys");
		}
		return (selector, context) -> this.remoteKeys.select(uri, selector);
	}

	OAuth2TokenValidatorResult validate(String clientId, Jwt jwt) {
		Instant now = this.clock.instant();
		// RFC 7523 3 (1) and (2): the client issues the assertion about itself
		if (!clientId.equals(jwt.getClaimAsString("iss")) || !clientId.equals(jwt.getSubject())) {
			return failure("iss and sub must be the client_id");
		}
		// (3): the audience is this authorization server
		List<String> audience = jwt.getAudience();
		if (audience == null || audience.stream().noneMatch(audiences()::contains)) {
			return failure("aud must be the token endpoint URL or the issuer");
		}
		// (4): exp, with a lifetime short enough that a stolen assertion is soon worthless
		Instant expiresAt = jwt.getExpiresAt();
		if (expiresAt == null) {
			return failure("exp is required");
		}
		if (expiresAt.isBefore(now.minus(CLOCK_SKEW))) {
			return failure("the assertion has expired");
		}
		Instant issuedAt = jwt.getIssuedAt();
		if (expiresAt.isAfter(now.plus(MAX_LIFETIME).plus(CLOCK_SKEW))
				|| issuedAt != null && Duration.between(issuedAt, expiresAt).compareTo(MAX_LIFETIME) > 0) {
			return failure("the assertion may live at most " + MAX_LIFETIME.toMinutes() + " minutes");
		}
		Instant notBefore = jwt.getNotBefore();
		if (notBefore != null && notBefore.isAfter(now.plus(CLOCK_SKEW))
				|| issuedAt != null && issuedAt.isAfter(now.plus(CLOCK_SKEW))) {
			return failure("the assertion is not valid yet");
		}
		// (7): jti, and the assertion used once
		String jti = jwt.getId();
		if (jti == null || jti.isBlank() || jti.length() > 256) {
			return failure("jti is required (at most 256 characters)");
		}
		if (!this.replays.firstUse(clientId, jti, expiresAt.plus(CLOCK_SKEW), now)) {
			return failure("the assertion was already used");
		}
		return OAuth2TokenValidatorResult.success();
	}

	/** The issuer and the URLs of the endpoints a client authenticates at, as this request sees them. */
	private static Set<String> audiences() {
		AuthorizationServerContext context = AuthorizationServerContextHolder.getContext();
		if (context == null) {
			return Set.of();
		}
		String issuer = context.getIssuer();
		AuthorizationServerSettings settings = context.getAuthorizationServerSettings();
		return Set.of(issuer, issuer + settings.getTokenEndpoint(),
				issuer + settings.getPushedAuthorizationRequestEndpoint(),
				issuer + settings.getTokenIntrospectionEndpoint(), issuer + settings.getTokenRevocationEndpoint());
	}

	private static OAuth2TokenValidatorResult failure(String description) {
		return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, description, null));
	}

}
