package io.gatehouse.accounts;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.gatehouse.api.ApiPage;
import io.gatehouse.api.ETags;
import io.gatehouse.api.Page;
import io.gatehouse.api.PageQuery;
import io.gatehouse.api.ValidationException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/1.0/users")
@Tag(name = "Users", description = "User accounts and their direct permissions. Passwords are write-only.")
class UserApiController {

	private final AccountService accounts;

	UserApiController(AccountService accounts) {
		this.accounts = accounts;
	}

	@GetMapping
	@PreAuthorize("hasAuthority('view-users')")
	@Operation(summary = "List users", description = "Searches username, names and email; order_by is username, "
			+ "email or created_at.")
	ApiPage<UserJson> list(@RequestParam(required = false) @Nullable String page,
			@RequestParam(name = "per_page", required = false) @Nullable String perPage,
			@RequestParam(required = false) @Nullable String filter,
			@RequestParam(name = "order_by", required = false) @Nullable String orderBy,
			@RequestParam(name = "order_direction", required = false) @Nullable String orderDirection) {
		PageQuery query = PageQuery.parse(page, perPage, filter, orderBy, orderDirection,
				AccountService.USER_ORDERABLE, "username");
		Page<User> users = accounts.findUsers(query);
		Map<Long, ServiceAccountClients.Client> clients = accounts.clientsOf(users.rows());
		return ApiPage.of(users.map(user -> UserJson.of(user, clients.get(user.id()), null, null)), query);
	}

	@PostMapping
	@PreAuthorize("hasAuthority('create-users')")
	@Operation(summary = "Create a user", description = "username and password are required; active defaults to "
			+ "true, super_admin to false (only a super admin may set it); permissions (optional) are granted "
			+ "directly and must all be held by the caller. Returns 201 with the user, never the password.")
	ResponseEntity<UserJson> create(@RequestBody UserRequest request) {
		User user = accounts.createUser(request.toInput());
		return ResponseEntity.created(URI.create("/api/1.0/users/" + user.id()))
			.eTag(ETags.of(user.version()))
			.body(detail(user));
	}

	@GetMapping("/{id}")
	@PreAuthorize("hasAuthority('view-users')")
	@Operation(summary = "Show a user", description = "With direct permissions and groups; the ETag is its version.")
	ResponseEntity<UserJson> show(@PathVariable long id) {
		User user = accounts.getUser(id);
		return ResponseEntity.ok().eTag(ETags.of(user.version())).body(detail(user));
	}

	@PutMapping("/{id}")
	@PreAuthorize("hasAuthority('edit-users')")
	@Operation(summary = "Update a user", description = "Fields left out (or null) keep their values; a password "
			+ "sets a new one. Changing another user needs every permission that user holds (403 otherwise). A "
			+ "service account keeps its username and has no password (422). With If-Match, a stale ETag is "
			+ "refused with 412.")
	ResponseEntity<UserJson> update(@PathVariable long id, @RequestBody UserRequest request,
			@RequestHeader(name = "If-Match", required = false) @Nullable String ifMatch) {
		User user = accounts.updateUser(id, ETags.expectedVersion(ifMatch), request.toInput());
		return ResponseEntity.ok().eTag(ETags.of(user.version())).body(detail(user));
	}

	@DeleteMapping("/{id}")
	@PreAuthorize("hasAuthority('delete-users')")
	@Operation(summary = "Delete a user", description = "Nobody deletes themselves or the last active super admin, "
			+ "nor a user holding a permission they do not hold (403). A service account is deleted with its client, "
			+ "not here (409).")
	ResponseEntity<Void> delete(@PathVariable long id) {
		accounts.deleteUser(id);
		return ResponseEntity.noContent().build();
	}

	@PutMapping("/{id}/permissions")
	@PreAuthorize("hasAuthority('edit-users')")
	@Operation(summary = "Replace a user's direct permissions",
			description = "Body {\"permissions\": [names]}. The caller must hold every permission the user holds, "
					+ "and every permission added.")
	ResponseEntity<UserJson> setPermissions(@PathVariable long id, @RequestBody PermissionsRequest request) {
		User user = accounts.setUserPermissions(id, request.required());
		return ResponseEntity.ok().eTag(ETags.of(user.version())).body(detail(user));
	}

	private UserJson detail(User user) {
		List<GroupRef> groups = accounts.groupsOf(user.id()).stream().map(GroupRef::of).toList();
		return UserJson.of(user, accounts.clientsOf(List.of(user)).get(user.id()),
				accounts.directPermissionsOf(user.id()), groups);
	}

	/**
	 * The body of create and update; every field optional at this level, the service decides what is required. The
	 * read-only fields of {@link UserJson} are accepted and ignored, so what {@code GET} returns can be sent back.
	 */
	@JsonIgnoreProperties({ "id", "groups", "service_account", "client_id", "client_name", "created_at", "updated_at" })
	record UserRequest(@Nullable String username, @Nullable String password, @Nullable String email,
			@Nullable String firstname, @Nullable String lastname, @Nullable Boolean active,
			@JsonProperty("super_admin") @Nullable Boolean superAdmin, @Nullable Set<String> permissions) {

		UserInput toInput() {
			return new UserInput(username, firstname, lastname, email, active, superAdmin, password, permissions);
		}

	}

	record PermissionsRequest(@Nullable List<String> permissions) {

		List<String> required() {
			if (permissions == null) {
				throw ValidationException.of("permissions", "The permissions field is required.");
			}
			return permissions;
		}

	}

	record GroupRef(long id, String name) {

		static GroupRef of(Group group) {
			return new GroupRef(group.id(), group.name());
		}

	}

	/** {@code client_id} and {@code client_name} appear only on service accounts: the client they act for. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record UserJson(long id, String username, String firstname, String lastname, String email, boolean active,
			@JsonProperty("super_admin") boolean superAdmin,
			@JsonProperty("service_account") boolean serviceAccount,
			@JsonProperty("client_id") @Nullable String clientId,
			@JsonProperty("client_name") @Nullable String clientName, @Nullable Set<String> permissions,
			@Nullable List<GroupRef> groups, @JsonProperty("created_at") OffsetDateTime createdAt,
			@JsonProperty("updated_at") OffsetDateTime updatedAt) {

		static UserJson of(User user, ServiceAccountClients.@Nullable Client client, @Nullable Set<String> permissions,
				@Nullable List<GroupRef> groups) {
			return new UserJson(user.id(), user.username(), user.firstname(), user.lastname(), user.email(),
					user.active(), user.superAdmin(), user.serviceAccount(), client == null ? null : client.id(),
					client == null ? null : client.name(), permissions, groups, user.createdAt(), user.updatedAt());
		}

	}

}
