package io.gatehouse.audit;

import java.util.List;
import java.util.Map;

import io.gatehouse.api.ValidationException;

import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/** The Audit log page: the same search as the API, with a Previous/Next pager. */
@Controller
class AuditConsoleController {

	private final AuditLog log;

	AuditConsoleController(AuditLog log) {
		this.log = log;
	}

	@GetMapping("/admin/audit")
	@PreAuthorize("hasAuthority('view-audit')")
	String list(@RequestParam(required = false) @Nullable String actor,
			@RequestParam(required = false) @Nullable String client,
			@RequestParam(required = false) @Nullable String type,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			@RequestParam(required = false) @Nullable String page, Model model) {
		model.addAttribute("actor", actor == null ? "" : actor);
		model.addAttribute("client", client == null ? "" : client);
		model.addAttribute("type", type == null ? "" : type);
		model.addAttribute("from", from == null ? "" : from);
		model.addAttribute("to", to == null ? "" : to);
		model.addAttribute("types", AuditEventTypes.ALL);
		try {
			AuditPage result = log.search(AuditQuery.parse(actor, client, type, from, to, page, null));
			model.addAttribute("page", result);
			model.addAttribute("errors", Map.of());
			String base = UriComponentsBuilder.fromPath("/admin/audit")
				.queryParamIfPresent("actor", optional(actor))
				.queryParamIfPresent("client", optional(client))
				.queryParamIfPresent("type", optional(type))
				.queryParamIfPresent("from", optional(from))
				.queryParamIfPresent("to", optional(to))
				.encode()
				.build()
				.toUriString();
			model.addAttribute("previousUrl", result.hasPrevious() ? withPage(base, result.page() - 1) : null);
			model.addAttribute("nextUrl", result.hasNext() ? withPage(base, result.page() + 1) : null);
		}
		catch (ValidationException ex) {
			model.addAttribute("page", new AuditPage(List.of(), 1, AuditQuery.DEFAULT_PER_PAGE, false));
			model.addAttribute("errors", ex.errors());
			model.addAttribute("previousUrl", null);
			model.addAttribute("nextUrl", null);
		}
		return "audit/list";
	}

	private static java.util.Optional<String> optional(@Nullable String value) {
		return value == null || value.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(value.trim());
	}

	private static String withPage(String base, int page) {
		return base + (base.contains("?") ? "&" : "?") + "page=" + page;
	}

}
