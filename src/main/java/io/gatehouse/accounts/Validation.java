package io.gatehouse.accounts;

import java.util.regex.Pattern;

import io.gatehouse.api.FieldErrors;
import io.gatehouse.api.TextRules;

import org.jspecify.annotations.Nullable;

/** The field rules shared by users and groups, with the messages of the original system (Laravel's wording). */
final class Validation {

	private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

	private Validation() {
	}

	/** Trims the value; records "required", "max" and character problems under {@code field}. */
	static String required(FieldErrors errors, String field, String label, @Nullable String value, int max) {
		String trimmed = value == null ? "" : value.trim();
		if (trimmed.isEmpty()) {
			errors.add(field, "The " + label + " field is required.");
		}
		return optional(errors, field, label, trimmed, max);
	}

	/** Trims the value; records "max" and character problems (see {@link TextRules}) under {@code field}. */
	static String optional(FieldErrors errors, String field, String label, @Nullable String value, int max) {
		return checked(errors, field, label, value, max, false);
	}

	/** As {@link #optional}, but line breaks and tabs are allowed: for text typed into a text area. */
	static String optionalMultiline(FieldErrors errors, String field, String label, @Nullable String value, int max) {
		return checked(errors, field, label, value, max, true);
	}

	private static String checked(FieldErrors errors, String field, String label, @Nullable String value, int max,
			boolean multiline) {
		String trimmed = value == null ? "" : value.trim();
		if (trimmed.length() > max) {
			errors.add(field, "The " + label + " must not be greater than " + max + " characters.");
		}
		String problem = multiline ? TextRules.problemWithMultiline(label, trimmed)
				: TextRules.problemWith(label, trimmed);
		if (problem != null) {
			errors.add(field, problem);
		}
		return trimmed;
	}

	static String email(FieldErrors errors, @Nullable String value) {
		String email = optional(errors, "email", "Email", value, 255);
		if (!email.isEmpty() && !errors.has("email") && !EMAIL.matcher(email).matches()) {
			errors.add("email", "The Email must be a valid email address.");
		}
		return email;
	}

}
