package io.gatehouse.api;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Says in words what is wrong with a request body Jackson could not read, naming the field as the API spells it
 * ({@code super_admin}; {@code users.0} for an element of an array, as Laravel does). The answer is a 400 problem
 * whose {@code detail} is the message and, when a field is to blame, whose {@code errors} map names it, in the shape
 * of a 422. Jackson's own message is never shown: it names Java classes.
 */
final class JsonProblems {

	static final String NOT_JSON = "The request body is not valid JSON.";

	static final String NOT_AN_OBJECT = "The request body must be a JSON object.";

	/** Jackson's wording for {@code StreamReadFeature.STRICT_DUPLICATE_DETECTION}; JsonWriteHttpTests pin it. */
	private static final Pattern DUPLICATE = Pattern.compile("^Duplicate Object property \"(.*)\"$", Pattern.DOTALL);

	private JsonProblems() {
	}

	static ProblemDetail of(@Nullable Throwable cause) {
		if (cause instanceof UnrecognizedPropertyException unknown) {
			return field(path(unknown), "is unknown");
		}
		if (cause instanceof MismatchedInputException mismatch) {
			String path = path(mismatch);
			if (path.isEmpty()) {
				return body(isTrailingContent(mismatch) ? NOT_JSON : NOT_AN_OBJECT);
			}
			return field(path, "must be " + expected(mismatch.getTargetType()));
		}
		if (cause instanceof InputCoercionException outOfRange && !path(outOfRange).isEmpty()) {
			return field(path(outOfRange), "is out of range");
		}
		if (cause instanceof StreamReadException read && read.getOriginalMessage() != null) {
			Matcher duplicate = DUPLICATE.matcher(read.getOriginalMessage());
			if (duplicate.matches()) {
				String prefix = path(read);
				return field(prefix.isEmpty() ? duplicate.group(1) : prefix + "." + duplicate.group(1),
						"appears more than once");
			}
		}
		// no Jackson cause: the body was empty or the literal null
		return body(cause instanceof JacksonException ? NOT_JSON : NOT_AN_OBJECT);
	}

	/** {@code DeserializationFeature.FAIL_ON_TRAILING_TOKENS}: something follows the document. */
	private static boolean isTrailingContent(MismatchedInputException ex) {
		return ex.getOriginalMessage() != null && ex.getOriginalMessage().startsWith("Trailing token");
	}

	private static ProblemDetail body(String detail) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
	}

	private static ProblemDetail field(String field, String problem) {
		String message = "The " + field + " field " + problem + ".";
		ProblemDetail detail = body(message);
		detail.setProperty("errors", Map.of(field, List.of(message)));
		return detail;
	}

	private static String expected(@Nullable Class<?> type) {
		if (type == null) {
			return "of another type";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "a boolean";
		}
		if (CharSequence.class.isAssignableFrom(type)) {
			return "a string";
		}
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class
				|| type == Short.class || type == short.class) {
			return "an integer";
		}
		if (Number.class.isAssignableFrom(type)) {
			return "a number";
		}
		if (Collection.class.isAssignableFrom(type) || type.isArray()) {
			return "an array";
		}
		return "an object";
	}

	/** The JSON path of the failure: property names and array indexes joined with dots. */
	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (!path.isEmpty()) {
				path.append('.');
			}
			path.append(reference.getPropertyName() != null ? reference.getPropertyName() : reference.getIndex());
		}
		return path.toString();
	}

}
