package io.gatehouse.signin;

import java.util.ArrayList;
import java.util.List;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * What an account may do right now, for code that authenticates a request by other means than the session (such as
 * a bearer token): a super admin holds every permission plus {@link Permissions#SUPER_ADMIN_AUTHORITY}, anyone else
 * what they hold directly or through groups. Read from the database on every call, never cached.
 */
@Component
public class AccountAuthorities {

	private final JdbcSignInRepository repository;

	AccountAuthorities(JdbcSignInRepository repository) {
		this.repository = repository;
	}

	/** The user's current authorities; one indexed query, none for a super admin. */
	public List<GrantedAuthority> of(SignedInUser user) {
		List<GrantedAuthority> authorities = new ArrayList<>();
		if (user.superAdmin()) {
			Permissions.ALL.forEach(name -> authorities.add(new SimpleGrantedAuthority(name)));
			authorities.add(new SimpleGrantedAuthority(Permissions.SUPER_ADMIN_AUTHORITY));
		}
		else {
			repository.grantedPermissions(user.id()).forEach(name -> authorities.add(new SimpleGrantedAuthority(name)));
		}
		return authorities;
	}

}
