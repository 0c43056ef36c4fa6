package io.gatehouse.accounts;

import java.util.Map;

import io.gatehouse.api.ForbiddenException;
import io.gatehouse.api.ValidationException;
import io.gatehouse.signin.SignedInUser;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The signed-in user's own account, and changing their own password. Needs no permission, only a sign-in. */
@Controller
class ProfileController {

	private final AccountService accounts;

	private final ProfileService profile;

	ProfileController(AccountService accounts, ProfileService profile) {
		this.profile = profile;
		this.accounts = accounts;
	}

	@GetMapping("/profile")
	String show(Model model) {
		return page(model, Map.of());
	}

	@PostMapping("/profile/password")
	String changePassword(@RequestParam(name = "current_password", required = false) @Nullable String current,
			@RequestParam(required = false) @Nullable String password,
			@RequestParam(name = "password_confirmation", required = false) @Nullable String confirmation,
			Model model, RedirectAttributes redirect) {
		try {
			profile.changeOwnPassword(current, password, confirmation);
		}
		catch (ValidationException ex) {
			return page(model, ex.errors());
		}
		redirect.addFlashAttribute("flash", "Your password was changed.");
		return "redirect:/profile";
	}

	private String page(Model model, Map<String, ? extends Object> errors) {
		long id = SignedInUser.current().orElseThrow(() -> new ForbiddenException("Sign in first.")).id();
		model.addAttribute("user", accounts.getUser(id));
		model.addAttribute("groups", accounts.groupsOf(id));
		model.addAttribute("permissions", accounts.grantedPermissionsOf(id));
		model.addAttribute("errors", errors);
		return "profile";
	}

}
