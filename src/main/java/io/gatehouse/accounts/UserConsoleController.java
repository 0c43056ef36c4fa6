package io.gatehouse.accounts;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.gatehouse.api.ConflictException;
import io.gatehouse.api.ForbiddenException;
import io.gatehouse.api.Page;
import io.gatehouse.api.PageQuery;
import io.gatehouse.api.StaleVersionException;
import io.gatehouse.api.ValidationException;
import io.gatehouse.audit.AuditLog;
import io.gatehouse.signin.Permissions;
import io.gatehouse.signin.SignedInUser;

import org.jspecify.annotations.Nullable;
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

/** The users pages: list, one form for create and edit, delete. Post/Redirect/Get with a flash message. */
@Controller
@RequestMapping("/admin/users")
class UserConsoleController {

	private final AccountService accounts;

	private final AuditLog auditLog;

	UserConsoleController(AccountService accounts, AuditLog auditLog) {
		this.accounts = accounts;
		this.auditLog = auditLog;
	}

	@GetMapping
	@PreAuthorize("hasAuthority('view-users')")
	String list(@RequestParam(required = false) @Nullable String page,
			@RequestParam(required = false) @Nullable String filter,
			@RequestParam(name = "order_by", required = false) @Nullable String orderBy,
			@RequestParam(name = "order_direction", required = false) @Nullable String direction, Model model) {
		PageQuery query = ConsoleLists.query(page, filter, orderBy, direction, AccountService.USER_ORDERABLE,
				"username");
		Page<User> users = accounts.findUsers(query);
		model.addAttribute("query", query);
		model.addAttribute("page", users);
		model.addAttribute("clients", accounts.clientsOf(users.rows()));
		model.addAttribute("baseUrl", ConsoleLists.baseUrl("/admin/users", query));
		return "users/list";
	}

	@GetMapping("/new")
	@PreAuthorize("hasAuthority('create-users')")
	String createForm(Model model) {
		return form(model, new UserForm(), null, Map.of());
	}

	@PostMapping
	@PreAuthorize("hasAuthority('create-users')")
	String create(@ModelAttribute("form") UserForm form, Model model, RedirectAttributes redirect) {
		try {
			accounts.createUser(form.toInput(isSuperAdmin()));
		}
		catch (ValidationException ex) {
			return form(model, form, null, ex.errors());
		}
		catch (ForbiddenException ex) {
			model.addAttribute("error", ex.getMessage());
			return form(model, form, null, Map.of());
		}
		redirect.addFlashAttribute("flash", "The user was created.");
		return "redirect:/admin/users";
	}

	@GetMapping("/{id}/edit")
	@PreAuthorize("hasAuthority('edit-users')")
	String editForm(@PathVariable long id, Model model) {
		User user = accounts.getUser(id);
		return form(model, UserForm.of(user, accounts.directPermissionsOf(id)), user, Map.of());
	}

	@PostMapping("/{id}")
	@PreAuthorize("hasAuthority('edit-users')")
	String update(@PathVariable long id, @ModelAttribute("form") UserForm form, Model model,
			RedirectAttributes redirect) {
		User user = accounts.getUser(id);
		try {
			accounts.updateUser(id, form.getVersion(), form.toInput(isSuperAdmin()));
		}
		catch (ValidationException ex) {
			return form(model, form, user, ex.errors());
		}
		catch (ForbiddenException ex) {
			model.addAttribute("error", ex.getMessage());
			return form(model, form, user, Map.of());
		}
		catch (StaleVersionException ex) {
			// show what the other person saved, so nothing is overwritten without being seen
			model.addAttribute("error", "Someone else changed this user while you were editing. "
					+ "The form now shows the current values; make your changes again.");
			User current = accounts.getUser(id);
			return form(model, UserForm.of(current, accounts.directPermissionsOf(id)), current, Map.of());
		}
		redirect.addFlashAttribute("flash", "The user was saved.");
		return "redirect:/admin/users";
	}

	@PostMapping("/{id}/delete")
	@PreAuthorize("hasAuthority('delete-users')")
	String delete(@PathVariable long id, RedirectAttributes redirect) {
		try {
			accounts.deleteUser(id);
			redirect.addFlashAttribute("flash", "The user was deleted.");
		}
		catch (ForbiddenException | ConflictException ex) {
			redirect.addFlashAttribute("flashError", ex.getMessage());
		}
		return "redirect:/admin/users";
	}

	private String form(Model model, UserForm form, @Nullable User user, Map<String, ? extends Object> errors) {
		model.addAttribute("form", form);
		model.addAttribute("user", user);
		model.addAttribute("errors", errors);
		model.addAttribute("categories", ConsoleLists.byCategory(accounts.permissions()));
		model.addAttribute("mayChangeSuperAdmin", isSuperAdmin());
		if (user != null) {
			// said before they try, so nobody fills in a form that will be refused
			model.addAttribute("cannotChange", accounts.whyMayNotChange(user.id()).orElse(null));
			// a service account's username and password belong to its client: the form leaves them out
			model.addAttribute("client", accounts.clientsOf(List.of(user)).get(user.id()));
			model.addAttribute("groups", accounts.groupsOf(user.id()));
			model.addAttribute("history", auditLog.historyOf(AccountService.SUBJECT, Long.toString(user.id()), 20));
		}
		return "users/form";
	}

	private static boolean isSuperAdmin() {
		Set<String> held = SignedInUser.currentPermissions();
		return held.contains(Permissions.SUPER_ADMIN_AUTHORITY);
	}

}
