package io.gatehouse.clients;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

/** Every module's {@link IssuedTokens}, asked as one: counts and revocations are the sums of theirs. */
@Component
final class EveryIssuedTokens {

	private final List<IssuedTokens> modules;

	EveryIssuedTokens(List<IssuedTokens> modules) {
		this.modules = List.copyOf(modules);
	}

	Map<GrantType, Long> countLive(String clientId) {
		Map<GrantType, Long> counts = new EnumMap<>(GrantType.class);
		modules.forEach(module -> module.countLive(clientId).forEach((grant, live) -> counts.merge(grant, live,
				Long::sum)));
		return counts;
	}

	long revoke(String clientId, Set<GrantType> grants) {
		return modules.stream().mapToLong(module -> module.revoke(clientId, grants)).sum();
	}

	long revokePendingCodes(String clientId, Set<String> redirectUris) {
		return modules.stream().mapToLong(module -> module.revokePendingCodes(clientId, redirectUris)).sum();
	}

}
