package io.gatehouse.accounts;

import java.time.OffsetDateTime;

import io.gatehouse.signin.SignedInUser;

/**
 * A user account as other code may see it. It never carries the password or its hash.
 *
 * @param version bumped on every change; the ETag of the API and the optimistic-lock token of the console form
 * @param serviceAccount the account a client acts as through the client credentials grant: it never signs in, and
 *     its username, password and deletion belong to its client
 */
public record User(long id, String username, String firstname, String lastname, String email, boolean active,
		boolean superAdmin, int version, OffsetDateTime createdAt, OffsetDateTime updatedAt, boolean serviceAccount) {

	/** "Firstname Lastname", or the username when both are blank. */
	public String displayName() {
		return SignedInUser.displayName(firstname, lastname, username);
	}

}
