package io.gatehouse.accounts;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.gatehouse.api.FieldErrors;
import io.gatehouse.api.ForbiddenException;
import io.gatehouse.signin.AccountLookup;

import org.springframework.stereotype.Component;

/**
 * The escalation rules shared by users and groups: names must exist; nobody hands out a permission they do not hold
 * themselves, whether directly, through a group's permissions, or by joining someone to a powerful group; and nobody
 * changes an account or a group that holds a permission they do not hold themselves.
 */
@Component
class Grants {

	private final JdbcPermissionRepository permissions;

	private final AccountLookup signIns;

	Grants(JdbcPermissionRepository permissions, AccountLookup signIns) {
		this.permissions = permissions;
		this.signIns = signIns;
	}

	/** The requested names, sorted; unknown or blank names are recorded under {@code permissions}. */
	Set<String> known(FieldErrors errors, Collection<String> requested) {
		Set<String> all = permissions.findAll().stream().map(Permission::name).collect(Collectors.toSet());
		Set<String> names = new TreeSet<>();
		for (String name : requested) {
			if (name == null || !all.contains(name)) {
				errors.add("permissions", "The selected permission " + (name == null ? "null" : "\"" + name + "\"")
						+ " is invalid.");
			}
			else {
				names.add(name);
			}
		}
		return names;
	}

	/** Refuses when the actor does not hold every one of {@code granted}, naming the first one missing. */
	void requireHeld(Actor actor, Collection<String> granted) {
		for (String name : new TreeSet<>(granted)) {
			if (!actor.holds(name)) {
				throw new ForbiddenException(
						"You cannot grant the permission \"" + name + "\" because you do not hold it yourself.");
			}
		}
	}

	/**
	 * Why the actor may not make this change to the account, or empty when they may. Whoever changes an account, any
	 * part of it, could take it over: set its password and sign in as it, or strip it first and then do so. So
	 * changing another account takes every permission it holds now, directly or through groups, and changing a super
	 * admin takes a super admin. Your own account passes: you hold what you hold.
	 */
	Optional<String> whyMayNotChange(Actor actor, User target, AccountChange change) {
		if (actor.superAdmin()) {
			return Optional.empty();
		}
		if (target.superAdmin()) {
			return Optional.of("Only a super admin can " + change.superAdmin + ".");
		}
		return firstNotHeld(actor, signIns.grantedPermissions(target.id()))
			.map(name -> "You cannot " + change.doing.formatted(target.username()) + ": they hold the permission \""
					+ name + "\", which you do not hold yourself.");
	}

	/** Refuses with {@link #whyMayNotChange}'s reason. */
	void requireMayChange(Actor actor, User target, AccountChange change) {
		whyMayNotChange(actor, target, change).ifPresent(reason -> {
			throw new ForbiddenException(reason);
		});
	}

	/**
	 * Refuses unless the actor holds every permission the group holds now: changing a group's name, description,
	 * permissions or members, or deleting it, is for those at least as powerful as the group.
	 *
	 * @param doing what the actor cannot do, for the message: "change the group \"Sales\""
	 */
	void requireMayChangeGroup(Actor actor, Set<String> groupHolds, String doing) {
		whyMayNotChangeGroup(actor, groupHolds, doing).ifPresent(reason -> {
			throw new ForbiddenException(reason);
		});
	}

	/** {@link #requireMayChangeGroup}'s reason, or empty when the actor may change the group. */
	Optional<String> whyMayNotChangeGroup(Actor actor, Set<String> groupHolds, String doing) {
		return firstNotHeld(actor, groupHolds).map(name -> "You cannot " + doing + ": it holds the permission \""
				+ name + "\", which you do not hold yourself.");
	}

	private static Optional<String> firstNotHeld(Actor actor, Collection<String> names) {
		return new TreeSet<>(names).stream().filter(name -> !actor.holds(name)).findFirst();
	}

	static Set<String> added(Set<String> before, Set<String> after) {
		Set<String> added = new TreeSet<>(after);
		added.removeAll(before);
		return added;
	}

	/** A change to someone's account, as the refusal names it. */
	enum AccountChange {

		EDIT("change the user \"%s\"", "change a super admin"),
		DELETE("delete the user \"%s\"", "delete a super admin"),
		ADD_TO_GROUP("add \"%s\" to a group", "add a super admin to a group"),
		REMOVE_FROM_GROUP("remove \"%s\" from a group", "remove a super admin from a group");

		private final String doing;

		private final String superAdmin;

		AccountChange(String doing, String superAdmin) {
			this.doing = doing;
			this.superAdmin = superAdmin;
		}

	}

}
