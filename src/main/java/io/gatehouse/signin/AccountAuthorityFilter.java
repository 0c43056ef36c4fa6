package io.gatehouse.signin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every signed-in request the authorities its user holds now, not at login: a permission taken away, a group
 * left or an account deactivated takes effect on the next request. A deleted or deactivated account is signed out.
 * Costs two indexed reads per request.
 */
@Component
public class AccountAuthorityFilter extends OncePerRequestFilter {

	private final AccountLookup accounts;

	private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

	AccountAuthorityFilter(AccountLookup accounts) {
		this.accounts = accounts;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = contexts.getContext().getAuthentication();
		Long accountId = accountIdOf(authentication);
		if (accountId != null) {
			Optional<SignedInUser> current = accounts.activeUser(accountId);
			if (current.isPresent()) {
				SecurityContext context = contexts.createEmptyContext();
				List<GrantedAuthority> fresh = new ArrayList<>(accounts.authoritiesOf(current.get()));
				// keep how and when the user proved who they are (Spring Security's factor authorities, auth_time)
				authentication.getAuthorities()
					.stream()
					.filter(FactorGrantedAuthority.class::isInstance)
					.forEach(fresh::add);
				context.setAuthentication(
						UsernamePasswordAuthenticationToken.authenticated(current.get(), null, fresh));
				contexts.setContext(context);
			}
			else {
				contexts.clearContext();
				HttpSession session = request.getSession(false);
				if (session != null) {
					session.invalidate();
				}
			}
		}
		chain.doFilter(request, response);
	}

	private static Long accountIdOf(Authentication authentication) {
		if (authentication == null || !authentication.isAuthenticated()) {
			return null;
		}
		Object principal = authentication.getPrincipal();
		if (principal instanceof SignedInUser user) {
			return user.id();
		}
		if (principal instanceof AccountUserDetails details) {
			return details.user().id();
		}
		return null;
	}

}
