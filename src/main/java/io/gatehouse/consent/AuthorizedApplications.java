package io.gatehouse.consent;

import java.util.List;

import io.gatehouse.api.NotFoundException;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.FieldChange;
import io.gatehouse.oauth.UserGrants;
import io.gatehouse.signin.AccountLookup;
import io.gatehouse.signin.SignedInUser;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * "Authorized applications": the clients a user consented to, and withdrawing that consent. Withdrawing also ends
 * the user's grants to the client through the authorization code and device grants, so its tokens stop working at
 * once and the next authorization request shows the consent page again. Password-grant tokens are left alone: the
 * user gave those by typing their password into the client, not by consenting here.
 */
@Component
@Transactional
class AuthorizedApplications {

	private final JdbcConsentStore consents;

	private final UserGrants grants;

	private final AuditTrail audit;

	private final AccountLookup accounts;

	AuthorizedApplications(JdbcConsentStore consents, UserGrants grants, AuditTrail audit, AccountLookup accounts) {
		this.consents = consents;
		this.grants = grants;
		this.audit = audit;
		this.accounts = accounts;
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
		int revoked = grants.revokeCodeGrants(clientId, accountId);
		String user = accounts.activeUser(accountId).map(SignedInUser::username).orElse("account " + accountId);
		audit.recordAbout(clientId, "withdrawn", JdbcConsentStore.AUDIT_TYPE, clientId, application.clientName(),
				List.of(new FieldChange("user", null, user),
						new FieldChange("revoked_tokens", null, Integer.toString(revoked))));
		return application;
	}

}
