package io.gatehouse.api;

import java.io.IOException;

/** A request body went past {@link RequestBodyLimitFilter#MAX_BODY_BYTES}. Rendered as 413. */
public class RequestTooLargeException extends IOException {

	public RequestTooLargeException() {
		super("The request body is larger than " + RequestBodyLimitFilter.MAX_BODY_BYTES / 1024 + " KiB.");
	}

}
