package io.gatehouse.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.gatehouse.database.DatabaseOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure of a REST controller into an RFC 9457 problem: 422 with an {@code errors} map for bad input,
 * 400 for unreadable bodies, 403, 404, 409, 412, 415, 503 with Retry-After while the database cannot be reached, and a
 * bare 500 that reveals nothing for the unexpected.
 */
@RestControllerAdvice(annotations = RestController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@ExceptionHandler(ValidationException.class)
	ResponseEntity<ProblemDetail> validation(ValidationException ex) {
		return unprocessable(ex.errors());
	}

	@ExceptionHandler(NotFoundException.class)
	ResponseEntity<ProblemDetail> notFound(NotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, ex.getMessage());
	}

	@ExceptionHandler(StaleVersionException.class)
	ResponseEntity<ProblemDetail> stale(StaleVersionException ex) {
		return problem(HttpStatus.PRECONDITION_FAILED, ex.getMessage());
	}

	@ExceptionHandler(ForbiddenException.class)
	ResponseEntity<ProblemDetail> forbidden(ForbiddenException ex) {
		return problem(HttpStatus.FORBIDDEN, ex.getMessage());
	}

	@ExceptionHandler(ConflictException.class)
	ResponseEntity<ProblemDetail> conflict(ConflictException ex) {
		return problem(HttpStatus.CONFLICT, ex.getMessage());
	}

	/**
	 * Security failures go back to the security filter chain, whose handlers answer them the same way wherever they
	 * arise (401 with a challenge, 403, {@code insufficient_scope} for a bearer token without the API scope).
	 */
	@ExceptionHandler({ AccessDeniedException.class, AuthenticationException.class })
	void security(RuntimeException ex) {
		throw ex;
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException ex) {
		return problem(HttpStatus.BAD_REQUEST, "The " + ex.getName() + " parameter has the wrong type.");
	}

	@ExceptionHandler(RequestTooLargeException.class)
	ResponseEntity<ProblemDetail> tooLarge(RequestTooLargeException ex) {
		return problem(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage());
	}

	@ExceptionHandler(UnreadableDocumentException.class)
	ResponseEntity<ProblemDetail> unreadable(UnreadableDocumentException ex) {
		return ResponseEntity.badRequest().body(ex.problem());
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		if (DatabaseOutage.causedBy(ex)) {
			// the connection's error, not the request's: the message names the server, never a credential
			log.warn("Database unreachable in an API request: {}", ex.getMessage());
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header(HttpHeaders.RETRY_AFTER, Long.toString(DatabaseOutage.RETRY_AFTER.toSeconds()))
				.body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
						"The database is not reachable just now; try again shortly."));
		}
		log.error("Unexpected error in an API request", ex);
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong on our side.");
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		if (ex.getCause() instanceof RequestTooLargeException tooLarge) {
			return cast(tooLarge(tooLarge));
		}
		return cast(ResponseEntity.badRequest().body(JsonProblems.of(ex.getCause())));
	}

	/** No, a wrong or an unparseable content type on an endpoint that reads JSON; Accept lists what it reads. */
	@Override
	protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.headers(headers)
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.UNSUPPORTED_MEDIA_TYPE, JsonContentTypeFilter.NOT_JSON));
	}

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		FieldErrors errors = new FieldErrors();
		ex.getBindingResult().getFieldErrors().forEach(error -> errors.add(error.getField(),
				error.getDefaultMessage() == null ? "The value is invalid." : error.getDefaultMessage()));
		return cast(unprocessable(errors.asMap()));
	}

	private static ResponseEntity<ProblemDetail> unprocessable(Map<String, List<String>> errors) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
				"The given data was invalid.");
		body.setProperty("errors", new LinkedHashMap<>(errors));
		return ResponseEntity.unprocessableContent().body(body);
	}

	static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
		return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static ResponseEntity<Object> cast(ResponseEntity<ProblemDetail> entity) {
		return (ResponseEntity) entity;
	}

}
