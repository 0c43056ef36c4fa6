package io.gatehouse.accounts;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/** What a password must be: 8 or more characters, and at most 72 bytes because bcrypt reads no further. */
public final class PasswordRules {

	public static final int MIN_LENGTH = 8;

	public static final int MAX_BYTES = 72;

	private PasswordRules() {
	}

	/** The problem with the password in words a user can act on, or null when it is acceptable. */
	public static @Nullable String problemWith(@Nullable String password) {
		if (password == null || password.isEmpty()) {
			return "The Password field is required.";
		}
		if (password.length() < MIN_LENGTH) {
			return "The Password must be at least " + MIN_LENGTH + " characters.";
		}
		if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
			return "The Password must not be greater than " + MAX_BYTES + " bytes.";
		}
		return null;
	}

}
