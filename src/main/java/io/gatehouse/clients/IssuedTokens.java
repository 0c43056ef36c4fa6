package io.gatehouse.clients;

import java.util.Map;
import java.util.Set;

/**
 * What a client has issued, as far as editing it is concerned. Each module that issues tokens implements it for its
 * own tokens (the OAuth endpoints, personal access tokens), so the clients module can say what a change will revoke
 * and revoke it in the same transaction, without knowing how tokens are stored. Counts are of tokens that still work
 * (codes not yet used, tokens neither expired nor revoked).
 */
public interface IssuedTokens {

	/** Live tokens and pending codes per grant, for the edit form's "Saving will revoke ..." notice. */
	Map<GrantType, Long> countLive(String clientId);

	/** Ends everything issued through these grants; returns how many live tokens and codes that ended. */
	long revoke(String clientId, Set<GrantType> grants);

	/** Ends pending authorization codes issued for these redirect URIs; returns how many. None by default. */
	default long revokePendingCodes(String clientId, Set<String> redirectUris) {
		return 0;
	}

}
