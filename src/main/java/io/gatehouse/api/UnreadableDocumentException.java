package io.gatehouse.api;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ProblemDetail;

/**
 * A document a caller sent (JSON or YAML) that a strict mapper ({@link StrictJson}) could not read. The REST API
 * answers 400 with {@link #problem()}, naming the field to blame as for any JSON body.
 */
public class UnreadableDocumentException extends RuntimeException {

	private final transient ProblemDetail problem;

	/** @param format what the document was read as, as the message names it: "JSON", "YAML" */
	public UnreadableDocumentException(String format, @Nullable Throwable cause) {
		super(message(format, cause), cause);
		this.problem = problem(format, cause);
	}

	/** The 400 problem: a {@code detail} in words and, when a field is to blame, an {@code errors} map. */
	public ProblemDetail problem() {
		return problem;
	}

	private static String message(String format, @Nullable Throwable cause) {
		String detail = problem(format, cause).getDetail();
		return detail == null ? "The document is not valid " + format + "." : detail;
	}

	private static ProblemDetail problem(String format, @Nullable Throwable cause) {
		ProblemDetail problem = JsonProblems.of(cause);
		if (JsonProblems.NOT_JSON.equals(problem.getDetail())) {
			problem.setDetail("The document is not valid " + format + ".");
		}
		else if (JsonProblems.NOT_AN_OBJECT.equals(problem.getDetail())) {
			problem.setDetail("The document must be a " + format + " object.");
		}
		return problem;
	}

}
