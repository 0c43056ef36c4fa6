package io.gatehouse.personaltokens;

import java.util.List;
import java.util.Set;

import io.gatehouse.secrets.Secrets;

/**
 * Token values and the rules a new token must meet. A value is 256 random bits ({@link Secrets}), stored only as its
 * SHA-256, so every API request stays one fast hash plus one index hit. The prefix lets secret scanners recognise a
 * leaked one.
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

	private PersonalAccessTokens() {
	}

	static String generate() {
		return Secrets.generate(PREFIX);
	}

	static boolean looksLikeToken(String value) {
		return value.startsWith(PREFIX);
	}

}
