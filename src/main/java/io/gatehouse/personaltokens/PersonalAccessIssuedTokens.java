package io.gatehouse.personaltokens;

import java.util.Map;
import java.util.Set;

import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedTokens;

import org.springframework.stereotype.Component;

/**
 * Tells the clients module what a client issued as personal access tokens, and revokes them when the client is
 * deleted or loses {@link GrantType#PERSONAL_ACCESS}, in the same transaction as that change.
 */
@Component
class PersonalAccessIssuedTokens implements IssuedTokens {

	private final PersonalAccessTokenService tokens;

	PersonalAccessIssuedTokens(PersonalAccessTokenService tokens) {
		this.tokens = tokens;
	}

	@Override
	public Map<GrantType, Long> countLive(String clientId) {
		long active = tokens.countActiveForClient(clientId);
		return active > 0 ? Map.of(GrantType.PERSONAL_ACCESS, active) : Map.of();
	}

	@Override
	public long revoke(String clientId, Set<GrantType> grants) {
		return grants.contains(GrantType.PERSONAL_ACCESS) ? tokens.revokeAllForClient(clientId) : 0;
	}

}
