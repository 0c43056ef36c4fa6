package io.gatehouse.accounts;

import java.util.HashSet;
import java.util.Set;

import io.gatehouse.api.ForbiddenException;
import io.gatehouse.signin.AccountLookup;
import io.gatehouse.signin.Permissions;
import io.gatehouse.signin.SignedInUser;
import io.gatehouse.signin.SystemActor;

import org.springframework.stereotype.Component;

/**
 * Finds who is acting. Rules such as "you cannot grant what you do not hold" are checked against the database, not
 * against authorities cached in a session or a token, so they hold for every caller of the services.
 */
@Component
class Actors {

	private final AccountLookup signIns;

	Actors(AccountLookup signIns) {
		this.signIns = signIns;
	}

	Actor current() {
		SystemActor system = SystemActor.current().orElse(null);
		if (system != null) {
			return new Actor(Actor.SYSTEM_ID, system.name(), true, Set.copyOf(Permissions.ALL));
		}
		SignedInUser user = SignedInUser.current().orElseThrow(() -> new ForbiddenException("Sign in first."));
		SignedInUser now = signIns.readActiveUser(user.id())
			.orElseThrow(() -> new ForbiddenException("Your account is no longer active."));
		Set<String> permissions = now.superAdmin() ? new HashSet<>(Permissions.ALL)
				: signIns.grantedPermissions(now.id());
		return new Actor(now.id(), now.username(), now.superAdmin(), Set.copyOf(permissions));
	}

}
