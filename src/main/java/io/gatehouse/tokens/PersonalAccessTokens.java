package io.gatehouse.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Token values, their hashes, and the rules a new token must meet. A value is 256 random bits, so SHA-256 is enough:
 * nobody can guess a preimage, and every API request stays one fast hash plus one index hit (a slow password hash
 * would cost tens of milliseconds per request for no gain). The prefix lets secret scanners recognise a leaked one.
 */
final class PersonalAccessTokens {

	static final String PREFIX = "gtpat_";

	/** Full REST API access, limited by the user's own permissions. */
	static final String SCOPE_API = "api";

	/** The scopes a token may be given; the one place to add more. */
	static final Set<String> ALLOWED_SCOPES = Set.of(SCOPE_API);

	static final String DEFAULT_CLIENT_ID = "personal-access-client";

	static final int DEFAULT_EXPIRY_DAYS = 90;

	static final int MAX_EXPIRY_DAYS = 365;

	/** The choices the console offers; the API accepts any whole number of days from 1 to the maximum. */
	static final List<Integer> EXPIRY_CHOICES = List.of(30, 90, 365);

	static final int MAX_NAME_LENGTH = 255;

	private static final SecureRandom RANDOM = new SecureRandom();

	private PersonalAccessTokens() {
	}

	static String generate() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	static String hash(String value) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	static boolean looksLikeToken(String value) {
		return value.startsWith(PREFIX);
	}

}
