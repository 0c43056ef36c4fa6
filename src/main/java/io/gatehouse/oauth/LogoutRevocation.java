package io.gatehouse.oauth;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.gatehouse.signin.SignedInUser;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcLogoutAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.oidc.web.authentication.OidcLogoutAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/**
 * What a valid RP-initiated logout does (OpenID Connect RP-Initiated Logout 1.0 2): Spring's ending of the session
 * and redirect to the post-logout redirect URI, preceded, for a client with "Revoke tokens on logout", by revoking
 * the tokens the user (the ID token's {@code sub}, the account id) granted that client through the code grant, and
 * recorded in the audit log with how many tokens that revoked.
 */
final class LogoutRevocation implements AuthenticationSuccessHandler {

	private final AuthenticationSuccessHandler spring = new OidcLogoutAuthenticationSuccessHandler();

	private final RegisteredClientRepository clients;

	private final UserGrants grants;

	private final OAuthAudit audit;

	LogoutRevocation(RegisteredClientRepository clients, UserGrants grants, OAuthAudit audit) {
		this.clients = clients;
		this.grants = grants;
		this.audit = audit;
	}

	@Override
	public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
			Authentication authentication) throws IOException, ServletException {
		if (authentication instanceof OidcLogoutAuthenticationToken logout && logout.getIdToken() != null) {
			revokeIfAsked(logout.getIdToken());
		}
		spring.onAuthenticationSuccess(request, response, authentication);
	}

	private void revokeIfAsked(OidcIdToken idToken) {
		if (idToken.getAudience() == null || idToken.getSubject() == null) {
			return;
		}
		long accountId;
		try {
			accountId = Long.parseLong(idToken.getSubject());
		}
		catch (NumberFormatException ex) {
			return;
		}
		// the console session is still the user's here: Spring ends it after this handler
		String username = SignedInUser.current().filter(user -> user.id() == accountId).map(SignedInUser::username)
			.orElse(null);
		for (String clientId : idToken.getAudience()) {
			RegisteredClient client = clients.findByClientId(clientId);
			if (client == null) {
				continue;
			}
			int revoked = Boolean.TRUE.equals(client.getClientSettings()
				.<Boolean>getSetting(AuthClientRegisteredClientRepository.REVOKE_ON_LOGOUT))
						? grants.revokeCodeGrants(client.getClientId(), accountId) : 0;
			audit.loggedOut(client.getClientId(), Long.toString(accountId), username, revoked);
		}
	}

}
