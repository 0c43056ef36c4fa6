package io.gatehouse.accounts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.gatehouse.api.FieldErrors;
import io.gatehouse.api.ForbiddenException;
import io.gatehouse.api.NotFoundException;
import io.gatehouse.api.Page;
import io.gatehouse.api.PageQuery;
import io.gatehouse.api.StaleVersionException;
import io.gatehouse.api.ValidationException;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.FieldChange;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.Topics;
import io.gatehouse.database.NameKeys;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Groups, their members and their permissions, changed by the signed-in user. Nobody changes a group (its name,
 * description, permissions or members) or deletes it unless they hold every permission it holds; nobody gives it a
 * permission they do not hold; joining or leaving also needs every permission the member holds. Only a super admin
 * renames, reduces or deletes a protected group. Exceptions as in {@link AccountService}; every change is audited.
 */
@Service
public class GroupService {

	/** The columns a group list can be ordered by. */
	public static final Set<String> GROUP_ORDERABLE = JdbcGroupRepository.ORDERABLE.keySet();

	static final String SUBJECT = "group";

	private final JdbcGroupRepository groups;

	private final JdbcUserRepository users;

	private final Actors actors;

	private final Grants grants;

	private final GroupMembers members;

	private final AuditTrail audit;

	private final ChangeSignals signals;

	GroupService(JdbcGroupRepository groups, JdbcUserRepository users, Actors actors, Grants grants,
			GroupMembers members, AuditTrail audit, ChangeSignals signals) {
		this.signals = signals;
		this.groups = groups;
		this.users = users;
		this.actors = actors;
		this.grants = grants;
		this.members = members;
		this.audit = audit;
	}

	@Transactional(readOnly = true)
	public Page<Group> findGroups(PageQuery query) {
		return groups.findPage(query);
	}

	/** Every group, by name (then id), in one query: for exporting the configuration. */
	@Transactional(readOnly = true)
	public List<Group> allGroups() {
		return groups.all();
	}

	/** The permissions of every group, by group id (a group without any is left out), in one query. */
	@Transactional(readOnly = true)
	public Map<Long, Set<String>> allGroupPermissions() {
		return groups.allPermissions();
	}

	/** The ids of the group's members. */
	@Transactional(readOnly = true)
	public Set<Long> memberIdsOf(long groupId) {
		return groups.memberIds(getGroup(groupId).id());
	}

	/** @throws NotFoundException when there is no such group */
	@Transactional(readOnly = true)
	public Group getGroup(long id) {
		return groups.findById(id).orElseThrow(() -> new NotFoundException("Group"));
	}

	/** The members, ordered by username. */
	@Transactional(readOnly = true)
	public List<User> membersOf(long groupId) {
		return groups.members(getGroup(groupId).id());
	}

	@Transactional(readOnly = true)
	public Set<String> permissionsOf(long groupId) {
		return groups.permissions(getGroup(groupId).id());
	}

	/** Why the signed-in user may not change this group (they lack a permission it holds); empty when they may. */
	@Transactional(readOnly = true)
	public Optional<String> whyMayNotChange(long groupId) {
		Group group = getGroup(groupId);
		return grants.whyMayNotChangeGroup(actors.current(), groups.permissions(groupId),
				"change the group \"" + group.name() + "\"");
	}

	@Transactional
	public Group createGroup(GroupInput input) {
		Actor actor = actors.current();
		FieldErrors errors = new FieldErrors();
		String name = name(errors, input.name(), null);
		String description = Validation.optionalMultiline(errors, "description", "Description", input.description(),
				1000);
		Set<String> granted = grants.known(errors, input.permissions() == null ? Set.of() : input.permissions());
		errors.throwIfAny();
		grants.requireHeld(actor, granted);
		long id;
		try {
			id = groups.insert(name, description);
		}
		catch (DuplicateKeyException ex) {
			throw nameTaken();
		}
		groups.replacePermissions(id, granted);
		List<FieldChange> changes = new ArrayList<>();
		FieldChange.addIfChanged(changes, "name", null, name);
		FieldChange.addIfChanged(changes, "description", null, description);
		if (!granted.isEmpty()) {
			FieldChange.addIfChanged(changes, "permissions", null, String.join(", ", granted));
		}
		audit(actor, "created", id, name, changes);
		return getGroup(id);
	}

	/** Saves the group. {@code expectedVersion} null means "whatever is current". */
	@Transactional
	public Group updateGroup(long id, @Nullable Integer expectedVersion, GroupInput input) {
		Actor actor = actors.current();
		Group current = getGroup(id);
		if (expectedVersion != null && expectedVersion != current.version()) {
			throw new StaleVersionException("The group");
		}
		Set<String> before = groups.permissions(id);
		grants.requireMayChangeGroup(actor, before, "change the group \"" + current.name() + "\"");
		FieldErrors errors = new FieldErrors();
		// a value sent back unchanged is kept as it is, even one saved before today's rules (a GET can be PUT back)
		String name = UserFields.unchanged(input.name(), current.name()) ? current.name()
				: name(errors, input.name(), id);
		String description = UserFields.unchanged(input.description(), current.description())
				? current.description()
				: Validation.optionalMultiline(errors, "description", "Description", input.description(), 1000);
		Set<String> after = input.permissions() == null ? before : grants.known(errors, input.permissions());
		errors.throwIfAny();
		if (current.protectedGroup() && !actor.superAdmin()) {
			if (!name.equals(current.name())) {
				throw protectedGroup(current, "rename it");
			}
			if (!after.containsAll(before)) {
				throw protectedGroup(current, "remove its permissions");
			}
		}
		grants.requireHeld(actor, Grants.added(before, after));
		if (name.equals(current.name()) && description.equals(current.description()) && after.equals(before)) {
			// nothing to save: the version (the ETag) stays, and nothing is audited
			return current;
		}
		boolean saved;
		try {
			saved = groups.update(id, current.version(), name, description);
		}
		catch (DuplicateKeyException ex) {
			throw nameTaken();
		}
		if (!saved) {
			throw new StaleVersionException("The group");
		}
		if (!after.equals(before)) {
			groups.replacePermissions(id, after);
		}
		List<FieldChange> changes = new ArrayList<>();
		FieldChange.addIfChanged(changes, "name", current.name(), name);
		FieldChange.addIfChanged(changes, "description", current.description(), description);
		FieldChange.addIfChanged(changes, "permissions", String.join(", ", before), String.join(", ", after));
		audit(actor, "updated", id, name, changes);
		signals.publish(Topics.GROUP, Long.toString(id));
		return getGroup(id);
	}

	/** Replaces the group's permissions. */
	@Transactional
	public Group setGroupPermissions(long id, Collection<String> names) {
		return updateGroup(id, null, new GroupInput(null, null, new HashSet<>(names)));
	}

	/**
	 * Replaces the group's members.
	 * @throws ValidationException under {@code users} when an id names no user
	 */
	@Transactional
	public Group setMembers(long id, Collection<Long> userIds) {
		Group group = getGroup(id);
		return members.replace(group, userIds) ? getGroup(id) : group;
	}

	/** Adds the user with this username (case-insensitive) to the group. */
	@Transactional
	public Group addMember(long id, @Nullable String username) {
		FieldErrors errors = new FieldErrors();
		String name = Validation.required(errors, "username", "Username", username, 255);
		errors.throwIfAny();
		Long userId = users.idOfUsername(NameKeys.of(name))
			.orElseThrow(() -> ValidationException.of("username", "The selected Username is invalid."));
		Set<Long> members = new TreeSet<>(groups.memberIds(getGroup(id).id()));
		members.add(userId);
		return setMembers(id, members);
	}

	@Transactional
	public Group removeMember(long id, long userId) {
		Set<Long> members = new TreeSet<>(groups.memberIds(getGroup(id).id()));
		members.remove(userId);
		return setMembers(id, members);
	}

	@Transactional
	public void deleteGroup(long id) {
		Actor actor = actors.current();
		Group current = getGroup(id);
		grants.requireMayChangeGroup(actor, groups.permissions(id), "delete the group \"" + current.name() + "\"");
		if (current.protectedGroup() && !actor.superAdmin()) {
			throw protectedGroup(current, "delete it");
		}
		groups.delete(id);
		signals.publish(Topics.GROUP, Long.toString(id));
		audit(actor, "deleted", id, current.name(), List.of(new FieldChange("name", current.name(), null)));
	}

	private String name(FieldErrors errors, @Nullable String value, @Nullable Long exceptId) {
		String name = Validation.required(errors, "name", "Name", value, 255);
		if (!errors.has("name") && groups.nameTaken(NameKeys.of(name), exceptId)) {
			errors.add("name", "The Name has already been taken.");
		}
		return name;
	}

	private static ForbiddenException protectedGroup(Group group, String doing) {
		return new ForbiddenException("The group \"" + group.name() + "\" is protected: only a super admin can " + doing
				+ ".");
	}

	private static ValidationException nameTaken() {
		return ValidationException.of("name", "The Name has already been taken.");
	}

	private void audit(Actor actor, String action, long id, String name, List<FieldChange> changes) {
		audit.record(actor.auditId(), actor.username(), action, SUBJECT, Long.toString(id), name, changes);
	}

}
