package io.gatehouse.accounts;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The signed-in user performing a change, as the database knows them at this moment, or a system actor (the
 * {@code config} command line) with every permission and no account ({@link #SYSTEM_ID}).
 */
record Actor(long id, String username, boolean superAdmin, Set<String> permissions) {

	/** The id of a system actor: no account has it (identities start at 1). */
	static final long SYSTEM_ID = 0;

	boolean holds(String permission) {
		return superAdmin || permissions.contains(permission);
	}

	/** The account id an audit record names: null for a system actor, as for any change made with nobody signed in. */
	@Nullable Long auditId() {
		return id == SYSTEM_ID ? null : id;
	}

}
