package io.gatehouse.consent;

import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.gatehouse.api.NotFoundException;
import io.gatehouse.oauth.Scopes;
import io.gatehouse.web.ContentSecurityPolicy;

/**
 * The consent page the authorization endpoint sends a user to: it names the client and each scope in words, and
 * posts the user's choice back to {@code /oauth/authorize}. Scopes already consented to are shown, not asked again.
 */
@Controller
class ConsentController {

	static final Map<String, String> DESCRIPTIONS = Map.of(Scopes.API,
			"Use the REST API as you, with the permissions you hold", OidcScopes.PROFILE, "See your name and username",
			OidcScopes.EMAIL, "See your email address");

	private final RegisteredClientRepository clients;

	private final JdbcConsentStore consents;

	ConsentController(RegisteredClientRepository clients, JdbcConsentStore consents) {
		this.clients = clients;
		this.consents = consents;
	}

	@GetMapping("/oauth/consent")
	String consent(Principal principal, Model model, HttpServletResponse response,
			@RequestParam("client_id") String clientId, @RequestParam(name = "scope", defaultValue = "") String scope,
			@RequestParam String state) {
		RegisteredClient client = clients.findByClientId(clientId);
		if (client == null
				|| !client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.AUTHORIZATION_CODE)) {
			throw new NotFoundException("Client");
		}
		// Allow and Deny are answered by a redirect to the client; the console's form-action 'self' would block it
		response.setHeader("Content-Security-Policy",
				ContentSecurityPolicy.allowingFormRedirectsTo(client.getRedirectUris()));
		OAuth2AuthorizationConsent previous = consents.findById(client.getId(), principal.getName());
		Set<String> granted = previous == null ? Set.of() : previous.getScopes();
		Map<String, String> toApprove = new LinkedHashMap<>();
		List<String> alreadyApproved = new ArrayList<>();
		for (String requested : scope.split(" ")) {
			if (requested.isBlank() || requested.equals(OidcScopes.OPENID)) {
				continue;
			}
			if (granted.contains(requested)) {
				alreadyApproved.add(DESCRIPTIONS.getOrDefault(requested, requested));
			}
			else {
				toApprove.put(requested, DESCRIPTIONS.getOrDefault(requested, requested));
			}
		}
		model.addAttribute("clientId", clientId);
		model.addAttribute("clientName", client.getClientName());
		model.addAttribute("state", state);
		model.addAttribute("toApprove", toApprove);
		model.addAttribute("alreadyApproved", alreadyApproved);
		model.addAttribute("signsIn", scope.contains(OidcScopes.OPENID));
		return "consent";
	}

}
