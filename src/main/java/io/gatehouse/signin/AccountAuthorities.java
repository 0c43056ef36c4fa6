package io.gatehouse.signin;

import java.util.List;

import io.gatehouse.signin.ActiveAccounts.ActiveAccount;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * What an account may do right now, for code that authenticates a request by other means than the session (such as
 * a bearer token): a super admin holds every permission plus {@link Permissions#SUPER_ADMIN_AUTHORITY}, anyone else
 * what they hold directly or through groups. Served from {@link ActiveAccounts}, which drops an account's entry when
 * it or any group changes, so a permission taken away is gone on this node's next request.
 */
@Component
public class AccountAuthorities {

	private final ActiveAccounts accounts;

	AccountAuthorities(ActiveAccounts accounts) {
		this.accounts = accounts;
	}

	/**
	 * The user's current authorities (an immutable list): from the cache, else one indexed query (none for a super
	 * admin). For an account that is no longer active, what its rows hold, read each time.
	 */
	public List<GrantedAuthority> of(SignedInUser user) {
		ActiveAccount current = accounts.get(user.id());
		return current != null ? current.authorities() : accounts.read(user);
	}

}
