package io.gatehouse.signin;

import java.io.Serializable;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The principal of an authenticated request: who is acting. Its authorities are reloaded from the database on every
 * request (see {@link AccountAuthorityFilter}), so a revoked permission or a deactivated account takes effect at once.
 */
public record SignedInUser(long id, String username, String displayName, boolean superAdmin)
		implements AuthenticatedPrincipal, Serializable {

	/** The username: what {@code Authentication.getName()} answers, and the OAuth principal name. */
	@Override
	public String getName() {
		return username;
	}

	/** The principal for an account row, named as the console shows it: "Firstname Lastname", else the username. */
	public static SignedInUser of(long id, String username, String firstname, String lastname, boolean superAdmin) {
		return new SignedInUser(id, username, displayName(firstname, lastname, username), superAdmin);
	}

	/** "Firstname Lastname", or the username when both are blank. */
	public static String displayName(String firstname, String lastname, String username) {
		String full = (firstname + " " + lastname).trim();
		return full.isEmpty() ? username : full;
	}

	/** The user acting in the current request, if one is signed in. */
	public static Optional<SignedInUser> current() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof SignedInUser user) {
			return Optional.of(user);
		}
		return Optional.empty();
	}

	/** The permission names the current request holds (empty when nobody is signed in). */
	public static Set<String> currentPermissions() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null) {
			return Set.of();
		}
		Collection<? extends GrantedAuthority> authorities = authentication.getAuthorities();
		return authorities.stream().map(GrantedAuthority::getAuthority).collect(Collectors.toUnmodifiableSet());
	}

}
