package io.gatehouse.accounts;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.gatehouse.api.FieldErrors;
import io.gatehouse.api.ForbiddenException;

import org.springframework.stereotype.Component;

/**
 * The escalation rules shared by users and groups: names must exist, and nobody hands out a permission they do not
 * hold themselves, whether directly, through a group's permissions, or by joining someone to a powerful group.
 */
@Component
class Grants {

	private final JdbcPermissionRepository permissions;

	Grants(JdbcPermissionRepository permissions) {
		this.permissions = permissions;
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

	static Set<String> added(Set<String> before, Set<String> after) {
		Set<String> added = new TreeSet<>(after);
		added.removeAll(before);
		return added;
	}

}
