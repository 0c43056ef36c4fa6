package io.gatehouse.api;

/**
 * The signed-in user may use the endpoint but not do this particular thing (for example grant a permission they do
 * not hold). Rendered as 403 with the reason.
 */
public class ForbiddenException extends RuntimeException {

	public ForbiddenException(String reason) {
		super(reason);
	}

}
