package io.gatehouse.oauth;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedTokens;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Counts and revokes what a client issued through the OAuth endpoints, by grant: the edit form's "Saving will revoke"
 * notice and the revocation that follows disabling a grant, removing a redirect URL or deleting the client. Reads go
 * through the {@code (client_id, grant_type)} and {@code (authorization_id, token_type)} indexes; pending codes are
 * matched by the redirect URI recorded on their row.
 */
@Component
@Transactional
class OAuthIssuedTokens implements IssuedTokens {

	/** Each grant type served at the token endpoint, by the {@code grant_type} its grants are recorded under. */
	private static final Map<String, GrantType> GRANTS = Arrays.stream(GrantType.values())
		.filter(grant -> grant.recordedAs().isPresent())
		.collect(Collectors.toUnmodifiableMap(grant -> grant.recordedAs().orElseThrow().getValue(), grant -> grant));

	private final JdbcAuthorizationRepository repository;

	OAuthIssuedTokens(JdbcAuthorizationRepository repository) {
		this.repository = repository;
	}

	@Override
	@Transactional(readOnly = true)
	public Map<GrantType, Long> countLive(String clientId) {
		Map<GrantType, Long> counts = new EnumMap<>(GrantType.class);
		repository.countLiveByGrantType(clientId).forEach((grantType, live) -> {
			GrantType grant = GRANTS.get(grantType);
			if (grant != null) {
				counts.merge(grant, live, Long::sum);
			}
		});
		return counts;
	}

	@Override
	public long revoke(String clientId, Set<GrantType> grants) {
		List<String> grantTypes = GRANTS.entrySet().stream().filter(entry -> grants.contains(entry.getValue()))
			.map(Map.Entry::getKey).toList();
		return grantTypes.isEmpty() ? 0 : repository.revokeByGrantTypes(clientId, grantTypes);
	}

	@Override
	public long revokePendingCodes(String clientId, Set<String> redirectUris) {
		return redirectUris.isEmpty() ? 0 : repository.revokePendingCodes(clientId, redirectUris);
	}

}
