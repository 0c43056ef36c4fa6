package io.gatehouse.accounts;

import java.util.Set;

/** The signed-in user performing a change, as the database knows them at this moment. */
record Actor(long id, String username, boolean superAdmin, Set<String> permissions) {

	boolean holds(String permission) {
		return superAdmin || permissions.contains(permission);
	}

}
