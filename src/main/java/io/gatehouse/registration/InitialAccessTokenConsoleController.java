package io.gatehouse.registration;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import io.gatehouse.api.ValidationException;
import io.gatehouse.registration.InitialAccessTokenService.IssuedInitialAccessToken;

import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * {@code /admin/initial-access-tokens}: the tokens that let a pipeline register clients, for administrators who may
 * create auth clients. A new token's value is rendered straight into the response to the create request, marked
 * {@code no-store}; it never passes through the session or a redirect.
 */
@Controller
@RequestMapping("/admin/initial-access-tokens")
@PreAuthorize(InitialAccessTokenApiController.CAN_MANAGE)
class InitialAccessTokenConsoleController {

	/** The lifetimes the form offers; the API takes any number of seconds within the bounds. */
	static final Map<String, Duration> LIFETIMES = Map.of("1 hour", Duration.ofHours(1), "24 hours",
			Duration.ofHours(24), "7 days", Duration.ofDays(7), "30 days", Duration.ofDays(30));

	private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
		.withZone(ZoneOffset.UTC);

	private final InitialAccessTokenService tokens;

	InitialAccessTokenConsoleController(InitialAccessTokenService tokens) {
		this.tokens = tokens;
	}

	@GetMapping
	String list(Model model) {
		return page(model, "", Duration.ofHours(24).toSeconds(), true, Map.of());
	}

	@PostMapping
	String create(@RequestParam(required = false) @Nullable String name,
			@RequestParam(name = "expires_in", required = false) @Nullable Long expiresIn,
			@RequestParam(name = "single_use", required = false) @Nullable String singleUse, Model model,
			HttpServletResponse response) {
		try {
			IssuedInitialAccessToken issued = tokens.create(name, expiresIn, singleUse != null);
			response.setHeader("Cache-Control", "no-store");
			model.addAttribute("token", row(issued.token(), Instant.now()));
			model.addAttribute("value", issued.value());
			return "initial-access-tokens/created";
		}
		catch (ValidationException ex) {
			response.setStatus(422);
			return page(model, name == null ? "" : name, expiresIn == null ? 0 : expiresIn, singleUse != null,
					ex.errors());
		}
	}

	@PostMapping("/{id}/revoke")
	String revoke(@PathVariable String id, RedirectAttributes redirect) {
		InitialAccessToken token = tokens.revoke(id);
		redirect.addFlashAttribute("flash", "The initial access token “" + token.name()
				+ "” was revoked. It registers no more clients.");
		return "redirect:/admin/initial-access-tokens";
	}

	private String page(Model model, String name, long expiresIn, boolean singleUse,
			Map<String, List<String>> errors) {
		Instant now = Instant.now();
		model.addAttribute("tokens", tokens.list().stream().map(token -> row(token, now)).toList());
		model.addAttribute("lifetimes", LIFETIMES.entrySet().stream()
			.sorted(Map.Entry.comparingByValue())
			.map(entry -> new Lifetime(entry.getKey(), entry.getValue().toSeconds()))
			.toList());
		model.addAttribute("form", new TokenForm(name, expiresIn, singleUse));
		model.addAttribute("errors", errors);
		return "initial-access-tokens/list";
	}

	private static TokenRow row(InitialAccessToken token, Instant now) {
		return new TokenRow(token, DATE.format(token.createdAt()), DATE.format(token.expiresAt()),
				token.usedAt() == null ? "Never" : DATE.format(token.usedAt()), token.state(now),
				token.usableAt(now));
	}

	/** What the create form holds, kept to show again beside its errors. */
	record TokenForm(String name, long expiresIn, boolean singleUse) {
	}

	/** A choice of the form's lifetime. */
	record Lifetime(String label, long seconds) {
	}

	/** One line of the list, with dates as the page shows them (UTC). */
	record TokenRow(InitialAccessToken token, String created, String expires, String used, String state,
			boolean usable) {
	}

}
