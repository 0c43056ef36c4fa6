package io.gatehouse.accounts;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.gatehouse.api.ApiPage;
import io.gatehouse.api.ETags;
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
@RequestMapping("/api/1.0/groups")
@Tag(name = "Groups", description = "Groups of users; members hold every permission of the group.")
class GroupApiController {

	private final GroupService groups;

	GroupApiController(GroupService groups) {
		this.groups = groups;
	}

	@GetMapping
	@PreAuthorize("hasAuthority('view-groups')")
	@Operation(summary = "List groups", description = "Searches name and description; order_by is name or created_at.")
	ApiPage<GroupJson> list(@RequestParam(required = false) @Nullable String page,
			@RequestParam(name = "per_page", required = false) @Nullable String perPage,
			@RequestParam(required = false) @Nullable String filter,
			@RequestParam(name = "order_by", required = false) @Nullable String orderBy,
			@RequestParam(name = "order_direction", required = false) @Nullable String orderDirection) {
		PageQuery query = PageQuery.parse(page, perPage, filter, orderBy, orderDirection,
				GroupService.GROUP_ORDERABLE, "name");
		return ApiPage.of(groups.findGroups(query).map(group -> GroupJson.of(group, null, null)), query);
	}

	@PostMapping
	@PreAuthorize("hasAuthority('create-groups')")
	@Operation(summary = "Create a group", description = "name is required; description and permissions optional "
			+ "(every permission must be held by the caller).")
	ResponseEntity<GroupJson> create(@RequestBody GroupRequest request) {
		Group group = groups.createGroup(request.toInput());
		return ResponseEntity.created(URI.create("/api/1.0/groups/" + group.id()))
			.eTag(ETags.of(group.version()))
			.body(detail(group));
	}

	@GetMapping("/{id}")
	@PreAuthorize("hasAuthority('view-groups')")
	@Operation(summary = "Show a group", description = "With members and permissions; the ETag is its version.")
	ResponseEntity<GroupJson> show(@PathVariable long id) {
		Group group = groups.getGroup(id);
		return ResponseEntity.ok().eTag(ETags.of(group.version())).body(detail(group));
	}

	@PutMapping("/{id}")
	@PreAuthorize("hasAuthority('edit-groups')")
	@Operation(summary = "Update a group", description = "Fields left out keep their values. Needs every permission "
			+ "the group holds; a protected group is renamed or loses permissions only by a super admin (403 "
			+ "otherwise). With If-Match, a stale ETag is refused with 412.")
	ResponseEntity<GroupJson> update(@PathVariable long id, @RequestBody GroupRequest request,
			@RequestHeader(name = "If-Match", required = false) @Nullable String ifMatch) {
		Group group = groups.updateGroup(id, ETags.expectedVersion(ifMatch), request.toInput());
		return ResponseEntity.ok().eTag(ETags.of(group.version())).body(detail(group));
	}

	@DeleteMapping("/{id}")
	@PreAuthorize("hasAuthority('delete-groups')")
	@Operation(summary = "Delete a group", description = "Needs every permission the group holds; a protected group "
			+ "is deleted only by a super admin (403 otherwise).")
	ResponseEntity<Void> delete(@PathVariable long id) {
		groups.deleteGroup(id);
		return ResponseEntity.noContent().build();
	}

	@PutMapping("/{id}/members")
	@PreAuthorize("hasAuthority('edit-groups')")
	@Operation(summary = "Replace a group's members", description = "Body {\"users\": [ids]}. Needs every permission "
			+ "the group holds, and every permission each member added or removed holds; an unknown id is 422.")
	ResponseEntity<GroupJson> setMembers(@PathVariable long id, @RequestBody MembersRequest request) {
		if (request.users() == null) {
			throw ValidationException.of("users", "The users field is required.");
		}
		Group group = groups.setMembers(id, request.users());
		return ResponseEntity.ok().eTag(ETags.of(group.version())).body(detail(group));
	}

	@PutMapping("/{id}/permissions")
	@PreAuthorize("hasAuthority('edit-groups')")
	@Operation(summary = "Replace a group's permissions",
			description = "Body {\"permissions\": [names]}. The caller must hold every permission the group holds, "
					+ "and every permission added; only a super admin removes permissions of a protected group.")
	ResponseEntity<GroupJson> setPermissions(@PathVariable long id, @RequestBody PermissionsRequest request) {
		if (request.permissions() == null) {
			throw ValidationException.of("permissions", "The permissions field is required.");
		}
		Group group = groups.setGroupPermissions(id, request.permissions());
		return ResponseEntity.ok().eTag(ETags.of(group.version())).body(detail(group));
	}

	private GroupJson detail(Group group) {
		return GroupJson.of(group, groups.permissionsOf(group.id()),
				groups.membersOf(group.id()).stream().map(Member::of).toList());
	}

	/**
	 * The read-only fields of {@link GroupJson} are accepted and ignored, so what {@code GET} returns can be sent
	 * back.
	 */
	@JsonIgnoreProperties({ "id", "members", "protected", "created_at", "updated_at" })
	record GroupRequest(@Nullable String name, @Nullable String description, @Nullable Set<String> permissions) {

		GroupInput toInput() {
			return new GroupInput(name, description, permissions);
		}

	}

	record MembersRequest(@Nullable List<Long> users) {
	}

	record PermissionsRequest(@Nullable List<String> permissions) {
	}

	record Member(long id, String username) {

		static Member of(User user) {
			return new Member(user.id(), user.username());
		}

	}

	/** {@code protected}: only a super admin renames the group, removes its permissions or deletes it. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record GroupJson(long id, String name, String description, @JsonProperty("protected") boolean protectedGroup,
			@Nullable Set<String> permissions, @Nullable List<Member> members,
			@JsonProperty("created_at") OffsetDateTime createdAt,
			@JsonProperty("updated_at") OffsetDateTime updatedAt) {

		static GroupJson of(Group group, @Nullable Set<String> permissions, @Nullable List<Member> members) {
			return new GroupJson(group.id(), group.name(), group.description(), group.protectedGroup(), permissions,
					members, group.createdAt(), group.updatedAt());
		}

	}

}
