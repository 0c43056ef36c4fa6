package io.gatehouse.cluster;

/**
 * The topics of {@link ChangeSignal}s: who publishes each and what its key is. A cache subscribes to the topics that
 * can change what it holds. Signing keys have no topic: a key leaves the JWKS only after every token it signed has
 * expired, and nodes re-read the keys every minute.
 */
public final class Topics {

	/**
	 * An auth client was created, changed (grants, redirect URLs, secret, flags) or deleted, including what that
	 * revoked. Key: the client id. Published by {@code clients}. Drop what is cached about the client and about every
	 * token it issued.
	 */
	public static final String CLIENT = "client";

	/**
	 * An account changed (active flag, super admin flag, direct permissions, username) or was deleted, or its grants
	 * to a client were ended (consent withdrawn). Key: the account id. Published by {@code accounts} and
	 * {@code oauth}. Drop its authorities and what is cached about its tokens.
	 */
	public static final String ACCOUNT = "account";

	/**
	 * A group's permissions or members changed, or it was deleted. Key: the group id. Published by {@code accounts}.
	 * The authorities of its members (past and present) may have changed.
	 */
	public static final String GROUP = "group";

	/**
	 * Tokens of one grant were ended: revoked at the revocation endpoint, or the whole grant on refresh-token or code
	 * reuse. Key: the authorization id. Published by {@code oauth}.
	 */
	public static final String GRANT = "grant";

	/** A personal access token was revoked. Key: its id. Published by {@code personaltokens}. */
	public static final String PERSONAL_ACCESS_TOKEN = "personal_access_token";

	/**
	 * A webhook endpoint was created, changed (URL, event types, active flag), got a new signing secret or was
	 * deleted. Key: the endpoint id. Published by {@code webhooks}. Drop what is cached about the endpoint and the list
	 * of active endpoints.
	 */
	public static final String WEBHOOK = "webhook";

	private Topics() {
	}

}
