package io.gatehouse.provisioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.gatehouse.accounts.AccountService;
import io.gatehouse.accounts.Group;
import io.gatehouse.accounts.GroupService;
import io.gatehouse.clients.AuthClient;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The server's configuration as a document: every live client (never a secret, nor its hash), every group with its
 * permissions, and what each client's service account holds. Lists are in a stable order (clients by name, then
 * id; groups by name; permissions and group names sorted), so exporting twice gives the same text and a diff in git
 * shows only what changed. A handful of queries, whatever the number of clients.
 */
@Component
class ConfigExporter {

	private final AuthClientService clients;

	private final AccountService accounts;

	private final GroupService groups;

	ConfigExporter(AuthClientService clients, AccountService accounts, GroupService groups) {
		this.clients = clients;
		this.accounts = accounts;
		this.groups = groups;
	}

	@Transactional(readOnly = true)
	ConfigDocument export() {
		Map<Long, Set<String>> permissions = accounts.serviceAccountPermissions();
		Map<Long, Set<String>> memberships = accounts.serviceAccountGroups();
		List<ConfigDocument.Client> exported = new ArrayList<>();
		for (AuthClient client : clients.allLive()) {
			exported.add(client(client, permissions, memberships));
		}
		Map<Long, Set<String>> groupPermissions = groups.allGroupPermissions();
		List<ConfigDocument.Group> exportedGroups = new ArrayList<>();
		for (Group group : groups.allGroups()) {
			exportedGroups.add(new ConfigDocument.Group(group.name(), group.description(),
					List.copyOf(groupPermissions.getOrDefault(group.id(), Set.of()))));
		}
		return new ConfigDocument(ConfigDocument.VERSION, exported, exportedGroups);
	}

	private static ConfigDocument.Client client(AuthClient client, Map<Long, Set<String>> permissions,
			Map<Long, Set<String>> memberships) {
		ConfigDocument.ServiceAccount account = null;
		Long accountId = client.serviceAccountId();
		if (client.allows(GrantType.CLIENT_CREDENTIALS) && accountId != null) {
			account = new ConfigDocument.ServiceAccount(List.copyOf(permissions.getOrDefault(accountId, Set.of())),
					List.copyOf(memberships.getOrDefault(accountId, Set.of())));
		}
		return new ConfigDocument.Client(client.id(), client.name(),
				client.orderedGrants().stream().map(GrantType::apiName).toList(), client.redirectUris(),
				client.postLogoutRedirectUris(), client.publicClient(), client.introspectOthers(), client.requirePar(),
				client.revokeTokensOnLogout(), client.requireDpop(), client.authentication().method().apiName(),
				ConfigShape.jwks(client.authentication().jwks()), client.authentication().jwksUri(),
				ConfigShape.seconds(client.policy().accessTokenLifetime()),
				ConfigShape.seconds(client.policy().refreshTokenLifetime()),
				client.policy().scopes() == null ? null : client.policy().scopes().stream().sorted().toList(),
				client.policy().skipConsent(), ConfigShape.rateLimit(client.policy().rateLimit()),
				client.policy().exchangeAudiences().isEmpty() ? null : client.policy().exchangeAudiences(), null,
				account);
	}

}
