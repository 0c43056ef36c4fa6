package io.gatehouse.outbound;

/**
 * An outbound call that was refused or failed. The message names the URL's host and the rule or the failure, never
 * the URL's path, query or credentials, nor a header, so it may be logged and shown to an administrator.
 */
public final class OutboundException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** Why the call did not give a response. */
	public enum Reason {

		/** The URL or an address its host resolves to is not allowed; nothing was sent. */
		REFUSED,

		/** No connection, no response headers or no complete body within the timeouts. */
		TIMEOUT,

		/** The response body is larger than the call's limit. */
		TOO_LARGE,

		/** The host is unknown, the connection or TLS failed, or the response was not HTTP. */
		FAILED

	}

	private final Reason reason;

	OutboundException(Reason reason, String message) {
		super(message, null, false, false);
		this.reason = reason;
	}

	public Reason reason() {
		return this.reason;
	}

}
