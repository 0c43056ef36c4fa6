package io.gatehouse.api;

/** The addressed record does not exist (or is deleted). Rendered as 404. */
public class NotFoundException extends RuntimeException {

	public NotFoundException(String what) {
		super(what + " not found.");
	}

}
