package io.gatehouse.oauth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.secrets.Secrets;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Checks DPoP proofs (RFC 9449 4.3) at the token endpoint and at the REST API, the same way on every node: the claims,
 * one signature check, then the {@code jti} recorded in the database ({@link JdbcDPoPProofRepository}), so a proof
 * replayed to any node is refused. At the token endpoint the signature check is Spring's (see
 * {@link #checkBeforeSignature}), so each proof is verified once there too.
 */
@Component
final class DPoPProofs {

	/** RFC 9449 4.2: asymmetric algorithms only; discovery names them ({@code dpop_signing_alg_values_supported}). */
	static final List<String> ALGORITHMS = List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
			"ES384", "ES512");

	/**
	 * RFC 9449 11.1: how old a proof's {@code iat} may be. Spring's own check at the token endpoint, which runs after
	 * this one, allows 30 s; 25 s leaves the request time to get there.
	 */
	static final Duration MAX_AGE = Duration.ofSeconds(25);

	/** How far a proof's {@code iat} may be ahead of this node's clock. */
	static final Duration MAX_AHEAD = Duration.ofSeconds(5);

	/** Kept beyond {@link #MAX_AGE}, for nodes whose clocks differ by that much. */
	private static final Duration CLOCK_SLACK = Duration.ofSeconds(60);

	private static final JOSEObjectType DPOP_JWT = new JOSEObjectType("dpop+jwt");

	private final JdbcDPoPProofRepository repository;

	private final DPoPNonces nonces;

	private final Clock clock;

	@Autowired
	DPoPProofs(JdbcDPoPProofRepository repository, DPoPNonces nonces) {
		this(repository, nonces, Clock.systemUTC());
	}

	DPoPProofs(JdbcDPoPProofRepository repository, DPoPNonces nonces, Clock clock) {
		this.repository = repository;
		this.nonces = nonces;
		this.clock = clock;
	}

	/**
	 * The proof's key thumbprint (RFC 7638, what {@code cnf.jkt} holds), once every check passed and its {@code jti}
	 * was recorded: the REST API's check, where this is the only one.
	 *
	 * @param accessToken the access token the proof must be bound to ({@code ath})
	 * @param nonceRequired whether the proof must carry the server's current nonce (RFC 9449 8)
	 * @throws DPoPProofException {@code invalid_dpop_proof}, or {@code use_dpop_nonce}
	 */
	String verify(String proof, String method, String targetUri, @Nullable String accessToken, boolean nonceRequired) {
		CheckedProof checked = check(proof, method, targetUri, accessToken, nonceRequired);
		String thumbprint;
		try {
			// step 6: the signature, made with the proof's own key
			if (!checked.jwt().verify(verifier(checked.jwt().getHeader().getAlgorithm(), checked.jwk()))) {
				throw DPoPProofException.invalid("The DPoP proof's signature does not verify.");
			}
			thumbprint = checked.jwk().computeThumbprint().toString();
		}
		catch (JOSEException ex) {
			throw DPoPProofException.invalid("The DPoP proof's signature does not verify.");
		}
		recordUse(checked.jti(), checked.issued());
		return thumbprint;
	}

	/**
	 * The token endpoint's check before Spring's: everything but the signature and the {@code jti}'s record. Spring's
	 * grant provider then verifies the signature (the one verification of the proof at the token endpoint), and the
	 * token customizer records the {@code jti} ({@link #recordUse}) before any token is issued, so a proof whose
	 * signature fails uses up nothing.
	 *
	 * @param nonceRequired whether the proof must carry the server's current nonce (RFC 9449 8)
	 * @throws DPoPProofException {@code invalid_dpop_proof}, or {@code use_dpop_nonce}
	 */
	void checkBeforeSignature(String proof, String method, String targetUri, boolean nonceRequired) {
		check(proof, method, targetUri, null, nonceRequired);
	}

	/**
	 * The signature check for a grant that no Spring provider serves (token exchange, whose provider is Gatehouse's
	 * own), after {@link #checkBeforeSignature} passed: the proof as Spring's providers hand it on (its header,
	 * {@code jti} and {@code iat}), for the binding and for {@link #recordUse}.
	 *
	 * @throws DPoPProofException {@code invalid_dpop_proof} when the signature does not verify with the proof's key
	 */
	static Jwt verifiedSignature(String proof) {
		try {
			SignedJWT jwt = SignedJWT.parse(proof);
			JWK jwk = jwt.getHeader().getJWK();
			JWTClaimsSet claims = jwt.getJWTClaimsSet();
			if (jwk == null || claims.getJWTID() == null || claims.getIssueTime() == null
					|| !jwt.verify(verifier(jwt.getHeader().getAlgorithm(), jwk))) {
				throw DPoPProofException.invalid("The DPoP proof's signature does not verify.");
			}
			return Jwt.withTokenValue(proof)
				.headers(headers -> headers.putAll(jwt.getHeader().toJSONObject()))
				.claim("jti", claims.getJWTID())
				.issuedAt(claims.getIssueTime().toInstant())
				.build();
		}
		catch (ParseException | JOSEException ex) {
			throw DPoPProofException.invalid("The DPoP proof's signature does not verify.");
		}
	}

	/**
	 * RFC 9449 11.1 (step 9): records the {@code jti} of a proof whose signature verified, on whichever node.
	 *
	 * @throws DPoPProofException {@code invalid_dpop_proof} when it was used before, or is missing
	 */
	void recordUse(@Nullable String jti, @Nullable Instant issued) {
		if (jti == null || jti.isBlank() || issued == null) {
			throw DPoPProofException.invalid("The DPoP proof has no jti or iat.");
		}
		if (!repository.firstUse(Secrets.sha256(jti), issued.plus(MAX_AGE).plus(CLOCK_SLACK))) {
			throw DPoPProofException.invalid("The DPoP proof was used before.");
		}
	}

	/** RFC 9449 4.3, every step but the signature (6) and the replay record (9). */
	private CheckedProof check(String proof, String method, String targetUri, @Nullable String accessToken,
			boolean nonceRequired) {
		SignedJWT jwt;
		JWTClaimsSet claims;
		try {
			jwt = SignedJWT.parse(proof);
			claims = jwt.getJWTClaimsSet();
		}
		catch (ParseException ex) {
			throw DPoPProofException.invalid("The DPoP proof is not a signed JWT.");
		}
		// RFC 9449 4.3 step 4: typ
		if (!DPOP_JWT.equals(jwt.getHeader().getType())) {
			throw DPoPProofException.invalid("The DPoP proof's typ is not dpop+jwt.");
		}
		// step 5: an asymmetric algorithm this server supports
		JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
		if (!ALGORITHMS.contains(algorithm.getName())) {
			throw DPoPProofException.invalid("The DPoP proof's alg is not one of " + String.join(", ", ALGORITHMS)
					+ ".");
		}
		// step 7: a public key
		JWK jwk = jwt.getHeader().getJWK();
		if (jwk == null || jwk.isPrivate()) {
			throw DPoPProofException.invalid("The DPoP proof's jwk is missing or holds a private key.");
		}
		// step 8: htm and htu, the URI without query and fragment
		if (!method.equals(stringClaim(claims, "htm"))) {
			throw DPoPProofException.invalid("The DPoP proof's htm is not " + method + ".");
		}
		if (!sameUri(stringClaim(claims, "htu"), targetUri)) {
			throw DPoPProofException.invalid("The DPoP proof's htu is not " + targetUri + ".");
		}
		// step 11: iat within the accepted window
		Date issued = claims.getIssueTime();
		Instant now = clock.instant();
		if (issued == null || issued.toInstant().isBefore(now.minus(MAX_AGE))
				|| issued.toInstant().isAfter(now.plus(MAX_AHEAD))) {
			throw DPoPProofException.invalid("The DPoP proof's iat is missing or not within " + MAX_AGE.toSeconds()
					+ " s before and " + MAX_AHEAD.toSeconds() + " s after now.");
		}
		String jti = stringClaim(claims, "jti");
		if (jti == null || jti.isBlank()) {
			throw DPoPProofException.invalid("The DPoP proof has no jti.");
		}
		// step 12: ath, the access token the proof goes with
		if (accessToken != null && !sha256(accessToken).equals(stringClaim(claims, "ath"))) {
			throw DPoPProofException.invalid("The DPoP proof's ath does not match the access token.");
		}
		// step 10: the server's nonce, when it asks for one
		if (nonceRequired && !nonces.isCurrent(stringClaim(claims, "nonce"))) {
			throw DPoPProofException.useNonce();
		}
		return new CheckedProof(jwt, jwk, jti, issued.toInstant());
	}

	/** A proof whose every check but the signature and the replay record passed. */
	private record CheckedProof(SignedJWT jwt, JWK jwk, String jti, Instant issued) {
	}

	/** RFC 9449 4.3 step 12 / 7.1: base64url of the SHA-256 of the access token's ASCII value. */
	static String sha256(String accessToken) {
		try {
			return Base64.getUrlEncoder().withoutPadding().encodeToString(
					MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	/** The {@code cnf.jkt} of an access token's claims (RFC 9449 6.1), null when the token is not DPoP-bound. */
	static @Nullable String boundKey(Map<String, Object> claims) {
		return claims.get("cnf") instanceof Map<?, ?> cnf && cnf.get("jkt") instanceof String jkt ? jkt : null;
	}

	private static JWSVerifier verifier(JWSAlgorithm algorithm, JWK jwk) throws JOSEException {
		if (JWSAlgorithm.Family.EC.contains(algorithm) && jwk instanceof ECKey ec) {
			return new ECDSAVerifier(ec);
		}
		if (JWSAlgorithm.Family.RSA.contains(algorithm) && jwk instanceof RSAKey rsa) {
			return new RSASSAVerifier(rsa);
		}
		throw new JOSEException("The key does not fit the algorithm");
	}

	private static @Nullable String stringClaim(JWTClaimsSet claims, String name) {
		return claims.getClaim(name) instanceof String value ? value : null;
	}

	/** RFC 9449 4.3 step 9: the URIs compared without query and fragment, scheme and host case-insensitively. */
	private static boolean sameUri(@Nullable String htu, String targetUri) {
		if (htu == null) {
			return false;
		}
		try {
			URI presented = URI.create(htu);
			URI target = URI.create(targetUri);
			return presented.getScheme() != null && presented.getHost() != null
					&& presented.getScheme().equalsIgnoreCase(target.getScheme())
					&& presented.getHost().toLowerCase(Locale.ROOT).equals(target.getHost().toLowerCase(Locale.ROOT))
					&& port(presented) == port(target)
					&& emptyAsSlash(presented.getRawPath()).equals(emptyAsSlash(target.getRawPath()));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static int port(URI uri) {
		if (uri.getPort() >= 0) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

	private static String emptyAsSlash(@Nullable String path) {
		return path == null || path.isEmpty() ? "/" : path;
	}

	/** A proof refused: {@code invalid_dpop_proof}, or {@code use_dpop_nonce} (RFC 9449 5, 8, 7.1). */
	static final class DPoPProofException extends RuntimeException {

		static final String INVALID_DPOP_PROOF = OAuth2ErrorCodes.INVALID_DPOP_PROOF;

		static final String USE_DPOP_NONCE = "use_dpop_nonce";

		private final String error;

		private DPoPProofException(String error, String description) {
			super(description, null, false, false);
			this.error = error;
		}

		static DPoPProofException invalid(String description) {
			return new DPoPProofException(INVALID_DPOP_PROOF, description);
		}

		static DPoPProofException useNonce() {
			return new DPoPProofException(USE_DPOP_NONCE,
					"The DPoP proof must carry the nonce of the DPoP-Nonce header.");
		}

		String error() {
			return error;
		}

	}

}
