package io.gatehouse.oauth;

import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.Topics;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** A user's grants to a client, for the modules that end them (withdrawing consent). */
@Component
public class UserGrants {

	private final JdbcAuthorizationRepository repository;

	private final ChangeSignals signals;

	UserGrants(JdbcAuthorizationRepository repository, ChangeSignals signals) {
		this.signals = signals;
		this.repository = repository;
	}

	/**
	 * Ends the user's grants to the client through the authorization code grant and the device authorization grant:
	 * their codes, access, refresh and ID tokens stop working at once, in the caller's transaction. Grants through
	 * other grant types are left alone.
	 * @return how many live tokens that ended
	 */
	@Transactional
	public int revokeCodeGrants(String clientId, long accountId) {
		int ended = repository.revokeCodeGrants(clientId, accountId);
		signals.publish(Topics.ACCOUNT, Long.toString(accountId));
		return ended;
	}

}
