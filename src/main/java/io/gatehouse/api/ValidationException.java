package io.gatehouse.api;

import java.util.List;
import java.util.Map;

/** Input broke a rule; nothing was written. Rendered as 422 with an {@code errors} map, or as form field errors. */
public class ValidationException extends RuntimeException {

	private final transient Map<String, List<String>> errors;

	public ValidationException(FieldErrors errors) {
		super("The given data was invalid.");
		this.errors = errors.asMap();
	}

	public static ValidationException of(String field, String message) {
		return new ValidationException(new FieldErrors().add(field, message));
	}

	public Map<String, List<String>> errors() {
		return errors;
	}

}
