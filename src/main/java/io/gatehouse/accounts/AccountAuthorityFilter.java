package io.gatehouse.accounts;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
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

	private final JdbcSignInRepository repository;

	private final AccountAuthorities authorities;

	private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

	AccountAuthorityFilter(JdbcSignInRepository repository, AccountAuthorities authorities) {
		this.repository = repository;
		this.authorities = authorities;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = contexts.getContext().getAuthentication();
		Long accountId = accountIdOf(authentication);
		if (accountId != null) {
			Optional<SignedInUser> current = repository.findActive(accountId);
			if (current.isPresent()) {
				SecurityContext context = contexts.createEmptyContext();
				context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(current.get(), null,
						authorities.of(current.get())));
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
