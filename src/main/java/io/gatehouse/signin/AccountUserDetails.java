package io.gatehouse.signin;

import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/** What the login form checks: the stored hash and the active flag. Authorities come later, per request. */
final class AccountUserDetails implements UserDetails, CredentialsContainer {

	private final SignedInUser user;

	private @Nullable String passwordHash;

	private final boolean active;

	AccountUserDetails(SignedInUser user, String passwordHash, boolean active) {
		this.user = user;
		this.passwordHash = passwordHash;
		this.active = active;
	}

	SignedInUser user() {
		return user;
	}

	@Override
	public Collection<? extends GrantedAuthority> getAuthorities() {
		return List.of();
	}

	@Override
	public @Nullable String getPassword() {
		return passwordHash;
	}

	@Override
	public String getUsername() {
		return user.username();
	}

	@Override
	public boolean isEnabled() {
		return active;
	}

	@Override
	public void eraseCredentials() {
		passwordHash = null;
	}

}
