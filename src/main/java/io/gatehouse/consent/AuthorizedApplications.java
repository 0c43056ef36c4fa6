package io.gatehouse.consent;

import java.util.List;

import io.gatehouse.api.NotFoundException;
import io.gatehouse.oauth.UserGrants;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * "Authorized applications": the clients a user consented to, and withdrawing that consent. Withdrawing also ends
 * the user's grants to the client through the authorization code grant, so its tokens stop working at once and the
 * next authorization request shows the consent page again. Password-grant tokens are left alone: the user gave those
 * by typing their password into the client, not by consenting here.
 */
@Component
@Transactional
class AuthorizedApplications {

	private final JdbcConsentStore consents;

	private final UserGrants grants;

	AuthorizedApplications(JdbcConsentStore consents, UserGrants grants) {
		this.consents = consents;
		this.grants = grants;
	}

	@Transactional(readOnly = true)
	List<AuthorizedApplication> list(long accountId) {
		return consents.findForAccount(accountId);
	}

	/**
	 * Withdraws the user's consent for the client and revokes their code-grant tokens for it.
	 * @return the application as it was listed
	 * @throws NotFoundException when the user has not consented to that client
	 */
	AuthorizedApplication withdraw(long accountId, String clientId) {
		AuthorizedApplication application = list(accountId).stream()
			.filter(each -> each.clientId().equals(clientId))
			.findFirst()
			.orElseThrow(() -> new NotFoundException("Authorized application"));
		consents.withdraw(clientId, accountId);
		grants.revokeCodeGrants(clientId, accountId);
		return application;
	}

}
