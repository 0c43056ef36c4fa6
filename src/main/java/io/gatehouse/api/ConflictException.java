package io.gatehouse.api;

/**
 * The request cannot be done to the record as it is, whoever asks (for example deleting an account that belongs to a
 * client). Rendered as 409 with the reason; nothing was written.
 */
public class ConflictException extends RuntimeException {

	public ConflictException(String reason) {
		super(reason);
	}

}
