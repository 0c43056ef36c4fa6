package io.gatehouse.webhooks;

import java.util.List;
import java.util.Map;

import io.gatehouse.api.ConflictException;
import io.gatehouse.api.ValidationException;
import io.gatehouse.audit.AuditEventTypes;
import jakarta.servlet.http.HttpServletResponse;

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
 * The Webhooks pages: the list, one form for register and edit, and an endpoint's page with its delivery log and
 * Redeliver. A new signing secret is shown on the page that answers the POST (never stored in a redirect or a
 * session), with {@code Cache-Control: no-store}.
 */
@Controller
@RequestMapping("/admin/webhooks")
@PreAuthorize("hasAuthority('manage-webhooks')")
class WebhookConsoleController {

	private final WebhookService webhooks;

	WebhookConsoleController(WebhookService webhooks) {
		this.webhooks = webhooks;
	}

	@GetMapping
	String list(Model model) {
		model.addAttribute("webhooks", webhooks.list());
		return "webhooks/list";
	}

	@GetMapping("/new")
	String create(Model model) {
		return form(model, null, new WebhookForm("", "", List.of(), true), Map.of());
	}

	@PostMapping
	String create(@RequestParam(required = false) @Nullable String url,
			@RequestParam(required = false) @Nullable String description,
			@RequestParam(name = "event_types", required = false) @Nullable List<String> eventTypes,
			@RequestParam(required = false) @Nullable String active, Model model, HttpServletResponse response) {
		WebhookForm form = WebhookForm.of(url, description, eventTypes, active);
		try {
			IssuedWebhookSecret issued = webhooks.create(form.toDraft());
			return secretPage(model, issued, response, "The webhook was registered.");
		}
		catch (ValidationException ex) {
			response.setStatus(422);
			return form(model, null, form, ex.errors());
		}
	}

	@GetMapping("/{id}")
	String show(@PathVariable long id, @RequestParam(required = false) @Nullable String page, Model model) {
		model.addAttribute("webhook", webhooks.get(id));
		model.addAttribute("deliveries", webhooks.deliveries(id, WebhookApiController.page(page)));
		return "webhooks/show";
	}

	@GetMapping("/{id}/edit")
	String edit(@PathVariable long id, Model model) {
		WebhookEndpoint endpoint = webhooks.get(id);
		return form(model, id, new WebhookForm(endpoint.url(), endpoint.description(),
				List.copyOf(endpoint.eventTypes()), endpoint.active()), Map.of());
	}

	@PostMapping("/{id}")
	String update(@PathVariable long id, @RequestParam(required = false) @Nullable String url,
			@RequestParam(required = false) @Nullable String description,
			@RequestParam(name = "event_types", required = false) @Nullable List<String> eventTypes,
			@RequestParam(required = false) @Nullable String active, Model model, HttpServletResponse response,
			RedirectAttributes redirect) {
		WebhookForm form = WebhookForm.of(url, description, eventTypes, active);
		try {
			webhooks.update(id, form.toDraft());
		}
		catch (ValidationException ex) {
			response.setStatus(422);
			return form(model, id, form, ex.errors());
		}
		redirect.addFlashAttribute("flash", "The webhook was saved.");
		return "redirect:/admin/webhooks/" + id;
	}

	@PostMapping("/{id}/regenerate-secret")
	String regenerateSecret(@PathVariable long id, Model model, HttpServletResponse response) {
		return secretPage(model, webhooks.regenerateSecret(id), response,
				"The signing secret was regenerated; the old one no longer signs.");
	}

	@PostMapping("/{id}/delete")
	String delete(@PathVariable long id, RedirectAttributes redirect) {
		webhooks.delete(id);
		redirect.addFlashAttribute("flash", "The webhook was deleted.");
		return "redirect:/admin/webhooks";
	}

	@PostMapping("/{id}/deliveries/{deliveryId}/redeliver")
	String redeliver(@PathVariable long id, @PathVariable long deliveryId, RedirectAttributes redirect) {
		try {
			WebhookDelivery delivery = webhooks.redeliver(id, deliveryId);
			redirect.addFlashAttribute("flash", "Event " + delivery.eventId() + " was queued again.");
		}
		catch (ConflictException ex) {
			redirect.addFlashAttribute("flash", ex.getMessage());
		}
		return "redirect:/admin/webhooks/" + id;
	}

	private String secretPage(Model model, IssuedWebhookSecret issued, HttpServletResponse response,
			String message) {
		response.setHeader("Cache-Control", "no-store");
		model.addAttribute("webhook", issued.endpoint());
		model.addAttribute("secret", issued.secret());
		model.addAttribute("message", message);
		return "webhooks/secret";
	}

	private String form(Model model, @Nullable Long id, WebhookForm form, Map<String, List<String>> errors) {
		model.addAttribute("id", id);
		model.addAttribute("form", form);
		model.addAttribute("errors", errors);
		model.addAttribute("types", AuditEventTypes.ALL);
		return "webhooks/form";
	}

	/** What the form holds, kept to show again beside its errors. */
	record WebhookForm(String url, String description, List<String> eventTypes, boolean active) {

		static WebhookForm of(@Nullable String url, @Nullable String description, @Nullable List<String> eventTypes,
				@Nullable String active) {
			return new WebhookForm(url == null ? "" : url, description == null ? "" : description,
					eventTypes == null ? List.of() : eventTypes, active != null);
		}

		WebhookDraft toDraft() {
			return new WebhookDraft(url, description, eventTypes, active);
		}

	}

}
