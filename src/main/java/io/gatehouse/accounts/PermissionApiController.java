package io.gatehouse.accounts;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Permissions")
class PermissionApiController {

	private final AccountService accounts;

	PermissionApiController(AccountService accounts) {
		this.accounts = accounts;
	}

	@GetMapping("/api/1.0/permissions")
	@PreAuthorize("hasAnyAuthority('view-users', 'view-groups')")
	@Operation(summary = "List the permissions", description = "Every permission a user or group can be granted, "
			+ "with its title and category, in display order. Needs view-users or view-groups.")
	PermissionList list() {
		return new PermissionList(accounts.permissions());
	}

	record PermissionList(List<Permission> data) {
	}

}
