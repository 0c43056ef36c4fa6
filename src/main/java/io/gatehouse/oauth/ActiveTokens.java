package io.gatehouse.oauth;

/**
 * Usable tokens, as {@code ActiveTokenGauges} sampled them within the last minute: reading them costs no query.
 */
public interface ActiveTokens {

	/** Unexpired, not invalidated access tokens of every client. */
	long accessTokens();

	/** Unexpired, not invalidated refresh tokens of every client. */
	long refreshTokens();

}
