package io.gatehouse.accounts;

import java.util.regex.Pattern;

import io.gatehouse.api.FieldErrors;

import org.jspecify.annotations.Nullable;

/** The field rules shared by users and groups, with the messages of the original system (Laravel's wording). */
final class Validation {

	private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

	private Validation() {
	}

	/** Trims the value; records "required" and "max" problems under {@code field}. */
	static String required(FieldErrors errors, String field, String label, @Nullable String value, int max) {
		String trimmed = value == null ? "" : value.trim();
		if (trimmed.isEmpty()) {
			errors.add(field, "The " + label + " field is required.");
		}
		return optional(errors, field, label, trimmed, max);
	}

	static String optional(FieldErrors errors, String field, String label, @Nullable String value, int max) {
		String trimmed = value == null ? "" : value.trim();
		if (trimmed.length() > max) {
			errors.add(field, "The " + label + " must not be greater than " + max + " characters.");
		}
		return trimmed;
	}

	static String email(FieldErrors errors, @Nullable String value) {
		String email = optional(errors, "email", "Email", value, 255);
		if (!email.isEmpty() && !EMAIL.matcher(email).matches()) {
			errors.add("email", "The Email must be a valid email address.");
		}
		return email;
	}

}
