package io.gatehouse.consent;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.gatehouse.api.ForbiddenException;
import io.gatehouse.signin.SignedInUser;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** "Authorized applications" on the profile: the clients the signed-in user consented to, and withdrawing access. */
@Controller
@RequestMapping("/profile/applications")
class AuthorizedApplicationConsoleController {

	private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
		.withZone(ZoneOffset.UTC);

	private final AuthorizedApplications applications;

	AuthorizedApplicationConsoleController(AuthorizedApplications applications) {
		this.applications = applications;
	}

	@GetMapping
	String list(Model model) {
		model.addAttribute("applications", applications.list(owner()).stream()
			.map(application -> new ApplicationRow(application,
					application.scopes()
						.stream()
						.map(scope -> ConsentController.DESCRIPTIONS.getOrDefault(scope, scope))
						.toList(),
					DATE.format(application.grantedAt())))
			.toList());
		return "applications/list";
	}

	@PostMapping("/{clientId}/withdraw")
	String withdraw(@PathVariable String clientId, RedirectAttributes redirect) {
		AuthorizedApplication withdrawn = applications.withdraw(owner(), clientId);
		redirect.addFlashAttribute("flash", "Access for " + withdrawn.clientName() + " was withdrawn.");
		return "redirect:/profile/applications";
	}

	private static long owner() {
		return SignedInUser.current().orElseThrow(() -> new ForbiddenException("Sign in first.")).id();
	}

	/** One line of the list: the scopes in words, the date as the page shows it (UTC). */
	record ApplicationRow(AuthorizedApplication application, List<String> scopes, String granted) {
	}

}
