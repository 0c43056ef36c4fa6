package io.gatehouse.signin;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Gatehouse acting for an operator without a signed-in account: the {@code config} command line, which runs on the
 * server's own machine with the database's credentials, and so could change anything anyway. It holds every
 * permission, as a super admin does, and its changes are audited under its name. No account stands behind it, and
 * it exists only inside {@link #runAs}, on the calling thread: nothing can sign in as it.
 */
public record SystemActor(String name) implements AuthenticatedPrincipal, Serializable {

	@Override
	public String getName() {
		return name;
	}

	/** The system actor of the current thread, if one is acting. */
	public static Optional<SystemActor> current() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof SystemActor actor) {
			return Optional.of(actor);
		}
		return Optional.empty();
	}

	/** Runs the action as this system actor, with every permission, and restores the caller's security context. */
	public static <T> T runAs(String name, Supplier<T> action) {
		List<GrantedAuthority> authorities = new ArrayList<>();
		Permissions.ALL.forEach(permission -> authorities.add(new SimpleGrantedAuthority(permission)));
		authorities.add(new SimpleGrantedAuthority(Permissions.SUPER_ADMIN_AUTHORITY));
		SecurityContext previous = SecurityContextHolder.getContext();
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(
				UsernamePasswordAuthenticationToken.authenticated(new SystemActor(name), null, authorities));
		SecurityContextHolder.setContext(context);
		try {
			return action.get();
		}
		finally {
			SecurityContextHolder.setContext(previous);
		}
	}

}
