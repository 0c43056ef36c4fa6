package io.gatehouse.api;

import java.io.IOException;

/** A request body went past its cap ({@link RequestBodyLimitFilter#MAX_BODY_BYTES} for most). Rendered as 413. */
public class RequestTooLargeException extends IOException {

	public RequestTooLargeException() {
		this(RequestBodyLimitFilter.MAX_BODY_BYTES);
	}

	/** @param maxBytes the cap the body went past, as the message names it */
	public RequestTooLargeException(long maxBytes) {
		super("The request body is larger than " + maxBytes / 1024 + " KiB.");
	}

}
