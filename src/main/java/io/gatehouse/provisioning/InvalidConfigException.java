package io.gatehouse.provisioning;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration document that cannot be applied as a whole, because of the object it names: nothing was written.
 * The REST API answers 400 with the message and an {@code errors} map keyed by the object's path in the document
 * ({@code clients.3.name}); the command line prints the same and exits with 1.
 */
class InvalidConfigException extends RuntimeException {

	private final transient Map<String, List<String>> errors;

	InvalidConfigException(String message, Map<String, List<String>> errors) {
		super(message);
		this.errors = new LinkedHashMap<>(errors);
	}

	static InvalidConfigException of(String path, String object, String message) {
		return new InvalidConfigException(object + ": " + message, Map.of(path, List.of(message)));
	}

	Map<String, List<String>> errors() {
		return errors;
	}

}
