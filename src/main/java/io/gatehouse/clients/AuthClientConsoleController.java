package io.gatehouse.clients;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.gatehouse.api.Page;
import io.gatehouse.api.PageQuery;
import io.gatehouse.api.StaleVersionException;
import io.gatehouse.api.ValidationException;
import io.gatehouse.database.Timestamps;
import io.gatehouse.usage.TokenUsage;
import io.gatehouse.usage.UsageChart;
import io.gatehouse.usage.UsageSeries;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The Auth Clients console. Each handler states the permissions it needs; the templates hide controls the user may
 * not use, but the check that counts is here. A new secret is rendered straight into the response (never through
 * the session or a redirect), marked {@code no-store}, so it exists only in that one page.
 */
@Controller
@RequestMapping("/admin/auth-clients")
class AuthClientConsoleController {

	private static final String CAN_VIEW = "hasAuthority('view-auth_clients')";

	/** What the edit page offers for the current secrets when adding one: 1 h, 24 h, 7 days, or revoked now. */
	private static final List<Long> KEEP_CHOICES = List.of(3600L, 86_400L, 604_800L, 0L);

	private final AuthClientService clients;

	private final TokenUsage tokenUsage;

	AuthClientConsoleController(AuthClientService clients, TokenUsage tokenUsage) {
		this.clients = clients;
		this.tokenUsage = tokenUsage;
	}

	/** Every page of the form lists the grants in declaration order, a checkbox each. */
	@ModelAttribute("grantTypes")
	GrantType[] grantTypes() {
		return GrantType.values();
	}

	@GetMapping
	@PreAuthorize(CAN_VIEW)
	String list(@RequestParam(required = false) String page,
			@RequestParam(name = "per_page", required = false) String perPage,
			@RequestParam(required = false) String filter,
			@RequestParam(name = "order_by", required = false) String orderBy,
			@RequestParam(name = "order_direction", required = false) String direction, Model model) {
		PageQuery query;
		try {
			query = PageQuery.parse(page, perPage, filter, orderBy, direction, JdbcAuthClientRepository.ORDERABLE,
					"name");
		}
		catch (ValidationException ex) {
			query = PageQuery.parse(null, null, PageQuery.usableFilter(filter), null, null,
					JdbcAuthClientRepository.ORDERABLE, "name");
		}
		Page<AuthClient> result = clients.page(query);
		model.addAttribute("clients", result);
		model.addAttribute("query", query);
		model.addAttribute("pageUrl", listUrl(query, query.orderBy(), query.descending()));
		model.addAttribute("sortByName", listUrl(query, "name", query.orderBy().equals("name") && !query.descending()));
		model.addAttribute("sortByCreated",
				listUrl(query, "created_at", query.orderBy().equals("created_at") && !query.descending()));
		model.addAttribute("sortByLastUsed",
				listUrl(query, "last_used_at", query.orderBy().equals("last_used_at") && !query.descending()));
		return "auth-clients/list";
	}

	@GetMapping("/new")
	@PreAuthorize(CAN_VIEW + " and hasAuthority('create-auth_clients')")
	String newForm(Model model) {
		model.addAttribute("form", new AuthClientForm());
		return "auth-clients/form";
	}

	@PostMapping
	@PreAuthorize(CAN_VIEW + " and hasAuthority('create-auth_clients')")
	String create(@ModelAttribute("form") AuthClientForm form, HttpServletRequest request, Model model,
			HttpServletResponse response) {
		form.readGrants(request.getParameterMap());
		try {
			IssuedSecret issued = clients.create(form.toDraft());
			return showSecret(issued, "The auth client was created.", model, response);
		}
		catch (ValidationException ex) {
			model.addAttribute("errors", ex.errors());
			response.setStatus(422);
			return "auth-clients/form";
		}
	}

	@GetMapping("/{id}/edit")
	@PreAuthorize(CAN_VIEW + " and hasAuthority('edit-auth_clients')")
	String editForm(@PathVariable String id, Model model) {
		AuthClient client = clients.get(id);
		model.addAttribute("form", AuthClientForm.of(client));
		return editPage(client, model);
	}

	@PostMapping("/{id}")
	@PreAuthorize(CAN_VIEW + " and hasAuthority('edit-auth_clients')")
	String update(@PathVariable String id, @ModelAttribute("form") AuthClientForm form, HttpServletRequest request,
			Model model, RedirectAttributes redirect, HttpServletResponse response) {
		form.readGrants(request.getParameterMap());
		try {
			clients.update(id, form.getVersion() == null ? -1 : form.getVersion(), form.toDraft());
			redirect.addFlashAttribute("flash", "The auth client was saved.");
			return "redirect:/admin/auth-clients";
		}
		catch (ValidationException ex) {
			model.addAttribute("errors", ex.errors());
			response.setStatus(422);
			return editPage(clients.get(id), model);
		}
		catch (StaleVersionException ex) {
			AuthClient current = clients.get(id);
			model.addAttribute("conflict", yourValues(form));
			model.addAttribute("form", AuthClientForm.of(current));
			response.setStatus(409);
			return editPage(current, model);
		}
	}

	@PostMapping("/{id}/secret")
	@PreAuthorize(CAN_VIEW + " and hasAuthority('edit-auth_clients')")
	String regenerateSecret(@PathVariable String id, Model model, HttpServletResponse response) {
		return showSecret(clients.regenerateSecret(id), "A new secret was generated. The old one no longer works.",
				model, response);
	}

	@PostMapping("/{id}/secrets")
	@PreAuthorize(CAN_VIEW + " and hasAuthority('edit-auth_clients')")
	String addSecret(@PathVariable String id, @RequestParam(defaultValue = "-1") long keep, Model model,
			HttpServletResponse response) {
		if (!KEEP_CHOICES.contains(keep)) {
			throw ValidationException.of("keep", "Choose how long the current secrets keep working.");
		}
		IssuedClientSecret added = clients.addSecret(id, Duration.ofSeconds(keep));
		return showSecret(new IssuedSecret(added.client(), added.value()), keep == 0
				? "A new secret was added. The other secrets no longer work."
				: "A new secret was added. The other secrets keep working until " + Timestamps.now().plusSeconds(keep)
						+ " at the latest.", model, response);
	}

	@PostMapping("/{id}/secrets/{secretId}/revoke")
	@PreAuthorize(CAN_VIEW + " and hasAuthority('edit-auth_clients')")
	String revokeSecret(@PathVariable String id, @PathVariable String secretId) {
		// the edit page shows the secret as Revoked
		clients.revokeSecret(id, secretId);
		return "redirect:/admin/auth-clients/" + id + "/edit";
	}

	@PostMapping("/{id}/delete")
	@PreAuthorize(CAN_VIEW + " and hasAuthority('delete-auth_clients')")
	String delete(@PathVariable String id, RedirectAttributes redirect) {
		clients.delete(id);
		redirect.addFlashAttribute("flash", "The auth client was deleted.");
		return "redirect:/admin/auth-clients";
	}

	private String editPage(AuthClient client, Model model) {
		model.addAttribute("client", client);
		// shown beside each grant's checkbox while it is unchecked: what saving would end
		Map<String, String> revokeWarnings = new LinkedHashMap<>();
		clients.liveTokens(client.id()).forEach((grant, count) -> revokeWarnings.put(grant.name(),
				"Saving will revoke " + count + " active token" + (count == 1 ? "" : "s") + " issued through the "
						+ grant.phrase() + "."));
		model.addAttribute("revokeWarnings", revokeWarnings);
		model.addAttribute("history", clients.history(client.id(), 50));
		model.addAttribute("secrets", clients.secrets(client.id()));
		model.addAttribute("now", Timestamps.now());
		UsageSeries usage = tokenUsage.lastDaysOf(client.id(), 30);
		model.addAttribute("usageTotal", usage.total());
		model.addAttribute("usageChart", UsageChart.svg("client-usage", "Tokens issued, last 30 days", usage));
		return "auth-clients/form";
	}

	private static String showSecret(IssuedSecret issued, String message, Model model, HttpServletResponse response) {
		response.setHeader("Cache-Control", "no-store");
		model.addAttribute("client", issued.client());
		model.addAttribute("secret", issued.secret());
		model.addAttribute("flash", message);
		return "auth-clients/secret";
	}

	/** What the user tried to save, shown beside the current values after a conflict so nothing is lost. */
	private static Map<String, String> yourValues(AuthClientForm form) {
		AuthClientDraft draft = form.toDraft();
		Map<String, String> values = new LinkedHashMap<>();
		values.put("Name", draft.name() == null ? "" : draft.name());
		values.put("Grants", draft.grants().isEmpty() ? "(none)"
				: String.join(", ", draft.grants().stream().sorted().map(GrantType::label).toList()));
		values.put("Redirect URL", String.join(", ", draft.redirectUris().stream().filter(s -> !s.isBlank()).toList()));
		values.put("May introspect tokens of other clients", draft.introspectOthers() ? "yes" : "no");
		values.put("Require pushed authorization requests", draft.requirePar() ? "yes" : "no");
		values.put("Revoke tokens on logout", draft.revokeTokensOnLogout() ? "yes" : "no");
		values.put("Require DPoP", draft.requireDpop() ? "yes" : "no");
		ClientPolicy policy = draft.policy();
		values.put("Access token lifetime", policy.accessTokenLifetime() == null ? "server default"
				: policy.accessTokenLifetime().toSeconds() + " s");
		values.put("Refresh token lifetime", policy.refreshTokenLifetime() == null ? "server default"
				: policy.refreshTokenLifetime().toSeconds() + " s");
		values.put("Scopes", policy.scopeText() == null ? "all" : policy.scopeText());
		values.put("Skip consent", policy.skipConsent() ? "yes" : "no");
		values.put("Rate limit", policy.rateLimitText() == null ? "none" : policy.rateLimitText());
		values.put("Exchange audiences", String.join(", ", policy.exchangeAudiences()));
		values.put("Post-logout redirect URL", String.join(", ", draft.postLogoutRedirectUris().stream()
			.filter(s -> !s.isBlank()).toList()));
		return values;
	}

	private static String listUrl(PageQuery query, String orderBy, boolean descending) {
		return UriComponentsBuilder.fromPath("/admin/auth-clients")
			.queryParamIfPresent("filter", query.filter().isEmpty() ? Optional.empty() : Optional.of(query.filter()))
			.queryParam("order_by", orderBy)
			.queryParam("order_direction", descending ? "desc" : "asc")
			.queryParam("per_page", query.perPage())
			.encode()
			.toUriString();
	}

}
