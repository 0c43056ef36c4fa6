package io.gatehouse.clients;

import java.util.Collection;
import java.util.Map;

import io.gatehouse.accounts.ServiceAccountClients;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Tells the accounts module which client each service account belongs to: one indexed read per page of users. */
@Component
class AuthClientServiceAccounts implements ServiceAccountClients {

	private final JdbcAuthClientRepository repository;

	AuthClientServiceAccounts(JdbcAuthClientRepository repository) {
		this.repository = repository;
	}

	@Override
	@Transactional(readOnly = true)
	public Map<Long, Client> clientsOf(Collection<Long> accountIds) {
		return accountIds.isEmpty() ? Map.of() : repository.findByServiceAccounts(accountIds);
	}

}
