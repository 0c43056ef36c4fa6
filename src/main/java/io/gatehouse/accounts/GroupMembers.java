package io.gatehouse.accounts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.gatehouse.accounts.Grants.AccountChange;
import io.gatehouse.api.FieldErrors;
import io.gatehouse.api.ValidationException;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.FieldChange;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.Topics;

import org.springframework.stereotype.Component;

/**
 * Who belongs to a group. A change of members is a change of the group, so it takes every permission the group holds;
 * and of each member who joins or leaves, so it takes every permission that member holds too: joining someone to a
 * group grants them its permissions.
 */
@Component
class GroupMembers {

	private final JdbcGroupRepository groups;

	private final JdbcUserRepository users;

	private final Actors actors;

	private final Grants grants;

	private final AuditTrail audit;

	private final ChangeSignals signals;

	GroupMembers(JdbcGroupRepository groups, JdbcUserRepository users, Actors actors, Grants grants,
			AuditTrail audit, ChangeSignals signals) {
		this.signals = signals;
		this.groups = groups;
		this.users = users;
		this.actors = actors;
		this.grants = grants;
		this.audit = audit;
	}

	/**
	 * Makes these users the group's members, in the caller's transaction; false when they already were.
	 * @throws ValidationException under {@code users} when an id names no user
	 */
	boolean replace(Group group, Collection<Long> userIds) {
		Actor actor = actors.current();
		long id = group.id();
		FieldErrors errors = new FieldErrors();
		Set<Long> wanted = new TreeSet<>();
		Set<Long> existing = users.existingIds(userIds.stream().filter(u -> u != null).toList());
		for (Long userId : userIds) {
			if (userId == null || !existing.contains(userId)) {
				errors.add("users", "The selected user " + userId + " is invalid.");
			}
			else {
				wanted.add(userId);
			}
		}
		errors.throwIfAny();
		List<User> before = groups.members(id);
		Set<Long> beforeIds = before.stream().map(User::id).collect(Collectors.toSet());
		List<User> leaving = before.stream().filter(member -> !wanted.contains(member.id())).toList();
		List<Long> joining = wanted.stream().filter(userId -> !beforeIds.contains(userId)).toList();
		// joining someone to a group grants them its permissions; any change of members is a change of the group
		grants.requireMayChangeGroup(actor, groups.permissions(id), !joining.isEmpty() ? "add members to this group"
				: !leaving.isEmpty() ? "remove members from this group" : "change the members of this group");
		// and of each member's account, so it needs the member's permissions too
		for (User member : leaving) {
			grants.requireMayChange(actor, member, AccountChange.REMOVE_FROM_GROUP);
		}
		// the joining accounts read in one query, not one each: a configuration document joins thousands at once
		for (User member : users.findByIds(joining)) {
			grants.requireMayChange(actor, member, AccountChange.ADD_TO_GROUP);
		}
		if (joining.isEmpty() && leaving.isEmpty()) {
			return false;
		}
		groups.replaceMembers(id, wanted);
		groups.touch(id);
		List<FieldChange> changes = new ArrayList<>();
		FieldChange.addIfChanged(changes, "members", usernames(before), usernames(groups.members(id)));
		audit.record(actor.auditId(), actor.username(), "members_changed", GroupService.SUBJECT, Long.toString(id),
				group.name(), changes);
		signals.publish(Topics.GROUP, Long.toString(id));
		return true;
	}

	private static String usernames(List<User> members) {
		return members.stream().map(User::username).collect(Collectors.joining(", "));
	}

}
