package io.gatehouse.api;

/**
 * Someone else saved the record after the caller read it (optimistic concurrency). Rendered as 412 by the API
 * (the caller sent a stale {@code If-Match}) and as a form message with the current values by the console.
 */
public class StaleVersionException extends RuntimeException {

	public StaleVersionException(String what) {
		super(what + " was changed by someone else. Reload it and try again.");
	}

}
