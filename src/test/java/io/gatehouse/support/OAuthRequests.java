package io.gatehouse.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Pieces of OAuth requests that tests of several modules send. */
public final class OAuthRequests {

	private OAuthRequests() {
	}

	/** The {@code Authorization} header of {@code client_secret_basic} (RFC 6749 2.3.1). */
	public static String basic(String clientId, String secret) {
		return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes());
	}

	/** The PKCE {@code code_challenge} of a verifier: BASE64URL(SHA-256(verifier)) (RFC 7636 4.2, S256). */
	public static String challenge(String verifier) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
