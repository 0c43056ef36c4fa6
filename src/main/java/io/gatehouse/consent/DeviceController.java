package io.gatehouse.consent;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import io.gatehouse.api.NotFoundException;

/**
 * The device verification page (RFC 8628 3.3), {@code /device}: the signed-in user types the code their device
 * shows, and is then asked, naming the client, the scopes and the code again, to allow or deny it. The code and the
 * answer are checked by the authorization server's endpoint on the same path (a request with {@code user_code});
 * this page shows the form and each outcome.
 */
@Controller
class DeviceController {

	private final RegisteredClientRepository clients;

	DeviceController(RegisteredClientRepository clients) {
		this.clients = clients;
	}

	@GetMapping("/device")
	String codeForm(Model model, @RequestParam(required = false) @Nullable String error,
			@RequestParam(required = false) @Nullable String approved,
			@RequestParam(required = false) @Nullable String denied) {
		if (approved != null) {
			model.addAttribute("outcome", "Device allowed. You can return to your device.");
		}
		else if (denied != null) {
			model.addAttribute("outcome", "Access denied. The device will not get access.");
		}
		if ("too_many_codes".equals(error)) {
			model.addAttribute("error", "Too many wrong codes. Wait 15 minutes, then try again.");
		}
		else if (error != null) {
			model.addAttribute("error", "That code is not valid, or it has expired or was already used.");
		}
		return "device";
	}

	@GetMapping("/device/consent")
	String consent(Model model, @RequestParam("client_id") String clientId,
			@RequestParam(name = "scope", defaultValue = "") String scope, @RequestParam String state,
			@RequestParam("user_code") String userCode) {
		RegisteredClient client = clients.findByClientId(clientId);
		if (client == null || !client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.DEVICE_CODE)) {
			throw new NotFoundException("Client");
		}
		Map<String, String> scopes = new LinkedHashMap<>();
		for (String requested : scope.split(" ")) {
			if (!requested.isBlank() && !requested.equals(OidcScopes.OPENID)) {
				scopes.put(requested, ConsentController.DESCRIPTIONS.getOrDefault(requested, requested));
			}
		}
		model.addAttribute("clientId", clientId);
		model.addAttribute("clientName", client.getClientName());
		model.addAttribute("state", state);
		model.addAttribute("userCode", userCode);
		model.addAttribute("scopes", scopes);
		return "device-consent";
	}

}
