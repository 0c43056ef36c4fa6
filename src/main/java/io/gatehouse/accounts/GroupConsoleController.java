package io.gatehouse.accounts;

import java.util.Map;

import io.gatehouse.api.ForbiddenException;
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

/** The groups pages: list, one form for create and edit (with members on edit), delete. */
@Controller
@RequestMapping("/admin/groups")
class GroupConsoleController {

	private final GroupService groups;

	private final AccountService accounts;

	private final AuditLog auditLog;

	GroupConsoleController(GroupService groups, AccountService accounts, AuditLog auditLog) {
		this.groups = groups;
		this.accounts = accounts;
		this.auditLog = auditLog;
	}

	@GetMapping
	@PreAuthorize("hasAuthority('view-groups')")
	String list(@RequestParam(required = false) @Nullable String page,
			@RequestParam(required = false) @Nullable String filter,
			@RequestParam(name = "order_by", required = false) @Nullable String orderBy,
			@RequestParam(name = "order_direction", required = false) @Nullable String direction, Model model) {
		PageQuery query = ConsoleLists.query(page, filter, orderBy, direction, GroupService.GROUP_ORDERABLE, "name");
		model.addAttribute("query", query);
		model.addAttribute("page", groups.findGroups(query));
		model.addAttribute("superAdmin", isSuperAdmin());
		model.addAttribute("baseUrl", ConsoleLists.baseUrl("/admin/groups", query));
		return "groups/list";
	}

	@GetMapping("/new")
	@PreAuthorize("hasAuthority('create-groups')")
	String createForm(Model model) {
		return form(model, new GroupForm(), null, Map.of());
	}

	@PostMapping
	@PreAuthorize("hasAuthority('create-groups')")
	String create(@ModelAttribute("form") GroupForm form, Model model, RedirectAttributes redirect) {
		try {
			groups.createGroup(form.toInput());
		}
		catch (ValidationException ex) {
			return form(model, form, null, ex.errors());
		}
		catch (ForbiddenException ex) {
			model.addAttribute("error", ex.getMessage());
			return form(model, form, null, Map.of());
		}
		redirect.addFlashAttribute("flash", "The group was created.");
		return "redirect:/admin/groups";
	}

	@GetMapping("/{id}/edit")
	@PreAuthorize("hasAuthority('edit-groups')")
	String editForm(@PathVariable long id, Model model) {
		Group group = groups.getGroup(id);
		return form(model, GroupForm.of(group, groups.permissionsOf(id)), group, Map.of());
	}

	@PostMapping("/{id}")
	@PreAuthorize("hasAuthority('edit-groups')")
	String update(@PathVariable long id, @ModelAttribute("form") GroupForm form, Model model,
			RedirectAttributes redirect) {
		Group group = groups.getGroup(id);
		try {
			groups.updateGroup(id, form.getVersion(), form.toInput());
		}
		catch (ValidationException ex) {
			return form(model, form, group, ex.errors());
		}
		catch (ForbiddenException ex) {
			model.addAttribute("error", ex.getMessage());
			return form(model, form, group, Map.of());
		}
		catch (StaleVersionException ex) {
			model.addAttribute("error", "Someone else changed this group while you were editing. "
					+ "The form now shows the current values; make your changes again.");
			Group current = groups.getGroup(id);
			return form(model, GroupForm.of(current, groups.permissionsOf(id)), current, Map.of());
		}
		redirect.addFlashAttribute("flash", "The group was saved.");
		return "redirect:/admin/groups";
	}

	@PostMapping("/{id}/members")
	@PreAuthorize("hasAuthority('edit-groups')")
	String addMember(@PathVariable long id, @RequestParam(required = false) @Nullable String username, Model model,
			RedirectAttributes redirect) {
		Group group = groups.getGroup(id);
		try {
			groups.addMember(id, username);
		}
		catch (ValidationException ex) {
			model.addAttribute("memberUsername", username);
			return form(model, GroupForm.of(group, groups.permissionsOf(id)), group, ex.errors());
		}
		catch (ForbiddenException ex) {
			model.addAttribute("memberUsername", username);
			model.addAttribute("error", ex.getMessage());
			return form(model, GroupForm.of(group, groups.permissionsOf(id)), group, Map.of());
		}
		redirect.addFlashAttribute("flash", "The member was added.");
		return "redirect:/admin/groups/" + id + "/edit";
	}

	@PostMapping("/{id}/members/{userId}/delete")
	@PreAuthorize("hasAuthority('edit-groups')")
	String removeMember(@PathVariable long id, @PathVariable long userId, RedirectAttributes redirect) {
		try {
			groups.removeMember(id, userId);
			redirect.addFlashAttribute("flash", "The member was removed.");
		}
		catch (ForbiddenException ex) {
			redirect.addFlashAttribute("flashError", ex.getMessage());
		}
		return "redirect:/admin/groups/" + id + "/edit";
	}

	@PostMapping("/{id}/delete")
	@PreAuthorize("hasAuthority('delete-groups')")
	String delete(@PathVariable long id, RedirectAttributes redirect) {
		try {
			groups.deleteGroup(id);
			redirect.addFlashAttribute("flash", "The group was deleted.");
		}
		catch (ForbiddenException ex) {
			redirect.addFlashAttribute("flashError", ex.getMessage());
		}
		return "redirect:/admin/groups";
	}

	private String form(Model model, GroupForm form, @Nullable Group group, Map<String, ? extends Object> errors) {
		model.addAttribute("form", form);
		model.addAttribute("group", group);
		model.addAttribute("errors", errors);
		model.addAttribute("categories", ConsoleLists.byCategory(accounts.permissions()));
		model.addAttribute("superAdmin", isSuperAdmin());
		if (group != null) {
			// said before they try, so nobody fills in a form that will be refused
			model.addAttribute("cannotChange", groups.whyMayNotChange(group.id()).orElse(null));
			model.addAttribute("members", groups.membersOf(group.id()));
			model.addAttribute("history", auditLog.historyOf(GroupService.SUBJECT, Long.toString(group.id()), 20));
		}
		return "groups/form";
	}

	private static boolean isSuperAdmin() {
		return SignedInUser.currentPermissions().contains(Permissions.SUPER_ADMIN_AUTHORITY);
	}

}
