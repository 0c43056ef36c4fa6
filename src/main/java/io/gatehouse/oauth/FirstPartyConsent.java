package io.gatehouse.oauth;

import java.util.function.Predicate;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Whether the authorization endpoint must ask the user (RFC 6749 4.1.1, Spring's consent step). Spring's own rule,
 * except for a client an administrator marked first-party ({@code skip_consent}): its users are not asked, and the
 * scopes of the request are recorded as consented, so that the user's authorized applications still list the client
 * and withdrawing it there ends its tokens as for any other.
 */
final class FirstPartyConsent implements Predicate<OAuth2AuthorizationCodeRequestAuthenticationContext> {

	private final OAuth2AuthorizationConsentService consents;

	FirstPartyConsent(OAuth2AuthorizationConsentService consents) {
		this.consents = consents;
	}

	@Override
	public boolean test(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		RegisteredClient client = context.getRegisteredClient();
		OAuth2AuthorizationRequest request = context.getAuthorizationRequest();
		OAuth2AuthorizationConsent previous = context.getAuthorizationConsent();
		if (Boolean.TRUE.equals(client.getClientSettings().getSetting(
				AuthClientRegisteredClientRepository.SKIP_CONSENT))) {
			if (previous == null || !previous.getScopes().containsAll(request.getScopes())) {
				Authentication user = (Authentication) context.getAuthentication().getPrincipal();
				OAuth2AuthorizationConsent.Builder consent = previous == null
						? OAuth2AuthorizationConsent.withId(client.getId(), user.getName())
						: OAuth2AuthorizationConsent.from(previous);
				request.getScopes().forEach(consent::scope);
				if (request.getScopes().isEmpty()) {
					// a consent holds at least one authority; openid stands for "signed in with no other scope"
					consent.scope(OidcScopes.OPENID);
				}
				consents.save(consent.build());
			}
			return false;
		}
		// Spring's rule: the client asks for consent, unless only openid is requested or all was consented before
		if (!client.getClientSettings().isRequireAuthorizationConsent()) {
			return false;
		}
		if (request.getScopes().contains(OidcScopes.OPENID) && request.getScopes().size() == 1) {
			return false;
		}
		return previous == null || !previous.getScopes().containsAll(request.getScopes());
	}

}
