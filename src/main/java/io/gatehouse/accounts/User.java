package io.gatehouse.accounts;

import java.time.OffsetDateTime;

/**
 * A user account as other code may see it. It never carries the password or its hash.
 *
 * @param version bumped on every change; the ETag of the API and the optimistic-lock token of the console form
 */
public record User(long id, String username, String firstname, String lastname, String email, boolean active,
		boolean superAdmin, int version, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

	/** "Firstname Lastname", or the username when both are blank. */
	public String displayName() {
		return JdbcSignInRepository.displayName(firstname, lastname, username);
	}

}
