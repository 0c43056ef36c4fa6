package io.gatehouse.accounts;

import java.util.Set;

import io.gatehouse.api.ForbiddenException;
import io.gatehouse.signin.Permissions;
import io.gatehouse.signin.SignedInUser;

import org.springframework.stereotype.Component;

/**
 * Who may do what with whose tokens: personal access tokens, and the authorized applications that hold a user's OAuth
 * tokens. Everyone manages their own. Another user's may be listed and shown with {@code view-users}, and revoked
 * (withdrawn) with {@code view-users} and {@code edit-users} by someone who may change that user's account (who holds
 * every permission the user holds; a super admin for a super admin). Nobody creates a token for another
 * user: a token acts as its owner, so creating one would let an editor of users borrow a more powerful account.
 */
@Component
public class TokenOwners {

	private final AccountService accounts;

	TokenOwners(AccountService accounts) {
		this.accounts = accounts;
	}

	/** @throws ForbiddenException (403), or NotFoundException (404) for an unknown user the actor may see */
	public void requireMayView(long userId) {
		if (isSelf(userId)) {
			return;
		}
		require(Permissions.VIEW_USERS);
		accounts.getUser(userId);
	}

	/**
	 * Revoking someone's tokens changes their account, so it also takes every permission they hold.
	 * @throws ForbiddenException (403), or NotFoundException (404) for an unknown user
	 */
	public void requireMayRevoke(long userId) {
		if (isSelf(userId)) {
			return;
		}
		require(Permissions.VIEW_USERS);
		require(Permissions.EDIT_USERS);
		accounts.requireMayChange(userId);
	}

	/** @throws ForbiddenException (403) unless the user is the one signed in */
	public void requireMayCreate(long userId) {
		if (!isSelf(userId)) {
			throw new ForbiddenException("Personal access tokens can be created only by their owner.");
		}
	}

	private static boolean isSelf(long userId) {
		return SignedInUser.current().map(user -> user.id() == userId).orElse(false);
	}

	private static void require(String permission) {
		Set<String> held = SignedInUser.currentPermissions();
		if (!held.contains(permission)) {
			throw new ForbiddenException("You do not have permission to do this.");
		}
	}

}
