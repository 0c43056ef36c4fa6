package io.gatehouse.oauth;

import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/**
 * An access token refused at the REST API for a DPoP reason (RFC 9449 7.1): a DPoP-bound token sent as a plain
 * bearer token ({@code invalid_token}), or a missing, invalid or replayed proof ({@code invalid_dpop_proof}). Answered
 * 401 with {@link #wwwAuthenticate()}.
 */
public final class DPoPChallenge extends InvalidBearerTokenException {

	private static final long serialVersionUID = 1L;

	/** RFC 9449 7.1: the {@code algs} of a DPoP challenge, the proof algorithms accepted. */
	public static final String ALGS = String.join(" ", DPoPProofs.ALGORITHMS);

	private final String error;

	DPoPChallenge(String error, String description) {
		super(description);
		this.error = error;
	}

	/** The {@code WWW-Authenticate} value: the DPoP scheme with the error, its description and the algorithms. */
	public String wwwAuthenticate() {
		return challenge(error, getMessage());
	}

	/** A DPoP challenge (RFC 9449 7.1) with this error and description. */
	public static String challenge(String error, String description) {
		return "DPoP error=\"" + error + "\", error_description=\"" + description.replace("\"", "'") + "\", algs=\""
				+ ALGS + "\"";
	}

}
