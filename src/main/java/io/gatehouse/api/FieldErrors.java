package io.gatehouse.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation messages keyed by field name, in the order they were found. The console shows them next to their
 * fields; the API returns them as the {@code errors} member of a 422 problem.
 */
public final class FieldErrors {

	private final Map<String, List<String>> errors = new LinkedHashMap<>();

	public FieldErrors add(String field, String message) {
		errors.computeIfAbsent(field, f -> new ArrayList<>()).add(message);
		return this;
	}

	public boolean isEmpty() {
		return errors.isEmpty();
	}

	public boolean has(String field) {
		return errors.containsKey(field);
	}

	/** Throws {@link ValidationException} when any error was added. */
	public void throwIfAny() {
		if (!errors.isEmpty()) {
			throw new ValidationException(this);
		}
	}

	public Map<String, List<String>> asMap() {
		Map<String, List<String>> copy = new LinkedHashMap<>();
		errors.forEach((field, messages) -> copy.put(field, List.copyOf(messages)));
		return Collections.unmodifiableMap(copy);
	}

}
