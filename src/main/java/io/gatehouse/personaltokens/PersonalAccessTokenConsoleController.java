package io.gatehouse.personaltokens;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import io.gatehouse.api.ForbiddenException;
import io.gatehouse.api.PageQuery;
import io.gatehouse.api.ValidationException;
import io.gatehouse.signin.SignedInUser;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "API Tokens" on the profile: the signed-in user's own personal access tokens. A new token's value is rendered
 * straight into the response to the create request, marked {@code no-store}; it never passes through the session, a
 * redirect or a flash attribute, so it exists only in that one page.
 */
@Controller
@RequestMapping("/profile/tokens")
class PersonalAccessTokenConsoleController {

	/** The console lists this many of the newest tokens; the API pages through all of them. */
	static final int LIST_SIZE = 100;

	private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
		.withZone(ZoneOffset.UTC);

	private final PersonalAccessTokenService tokens;

	PersonalAccessTokenConsoleController(PersonalAccessTokenService tokens) {
		this.tokens = tokens;
	}

	@GetMapping
	String list(Model model) {
		return page(model, new TokenForm("", PersonalAccessTokens.DEFAULT_CLIENT_ID,
				List.of(PersonalAccessTokens.SCOPE_API), String.valueOf(PersonalAccessTokens.DEFAULT_EXPIRY_DAYS)),
				Map.of());
	}

	@PostMapping
	String create(@RequestParam(required = false) @Nullable String name,
			@RequestParam(name = "client_id", required = false) @Nullable String clientId,
			@RequestParam(required = false) @Nullable List<String> scopes,
			@RequestParam(name = "expires_in_days", required = false) @Nullable String expiresInDays, Model model,
			HttpServletResponse response) {
		TokenForm form = new TokenForm(name == null ? "" : name, clientId == null ? "" : clientId,
				scopes == null ? List.of() : scopes, expiresInDays == null ? "" : expiresInDays);
		try {
			IssuedPersonalAccessToken issued = tokens.create(owner(), new PersonalAccessTokenDraft(name,
					scopes == null ? List.of() : scopes, clientId, parseDays(expiresInDays)));
			response.setHeader("Cache-Control", "no-store");
			model.addAttribute("token", row(issued.token()));
			model.addAttribute("value", issued.value());
			return "tokens/created";
		}
		catch (ValidationException ex) {
			response.setStatus(422);
			return page(model, form, ex.errors());
		}
	}

	@PostMapping("/{id}/revoke")
	String revoke(@PathVariable long id, RedirectAttributes redirect) {
		PersonalAccessToken token = tokens.revoke(owner(), id);
		redirect.addFlashAttribute("flash", "The token “" + token.name() + "” was revoked. It no longer works.");
		return "redirect:/profile/tokens";
	}

	private String page(Model model, TokenForm form, Map<String, List<String>> errors) {
		PageQuery newest = new PageQuery(1, LIST_SIZE, "", "created_at", true);
		Instant now = Instant.now();
		model.addAttribute("tokens",
				tokens.list(owner(), newest).rows().stream().map(PersonalAccessTokenConsoleController::row).toList());
		model.addAttribute("clients", tokens.personalAccessClients());
		model.addAttribute("allowedScopes", PersonalAccessTokens.ALLOWED_SCOPES.stream().sorted().toList());
		model.addAttribute("expiryChoices", PersonalAccessTokens.EXPIRY_CHOICES);
		model.addAttribute("form", form);
		model.addAttribute("errors", errors);
		model.addAttribute("now", now);
		return "tokens/list";
	}

	/** Missing means the default; anything not a number becomes -1, which the service refuses with a message. */
	private static @Nullable Integer parseDays(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Integer.parseInt(value.trim());
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private static long owner() {
		return SignedInUser.current().orElseThrow(() -> new ForbiddenException("Sign in first.")).id();
	}

	private static TokenRow row(PersonalAccessToken token) {
		Instant now = Instant.now();
		String status = token.revokedAt() != null ? "Revoked" : token.activeAt(now) ? "Active" : "Expired";
		return new TokenRow(token, String.join(" ", token.scopes()), DATE.format(token.createdAt()),
				token.expiresAt() == null ? "Never" : DATE.format(token.expiresAt()),
				token.lastUsedAt() == null ? "Never" : DATE.format(token.lastUsedAt()), status,
				token.activeAt(now));
	}

	/** What the create form holds, kept to show again beside its errors. */
	record TokenForm(String name, String clientId, List<String> scopes, String expiresInDays) {
	}

	/** One line of the list, with dates as the page shows them (UTC). */
	record TokenRow(PersonalAccessToken token, String scopes, String created, String expires, String lastUsed,
			String status, boolean active) {
	}

}
