package io.gatehouse.signin;

import io.gatehouse.signin.SignInAttempt.Channel;
import io.gatehouse.signin.SignInAttempt.Outcome;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The console's login: username and password against the stored bcrypt hash, with the same per-username throttle
 * as the OAuth password grant, so guessing through the login form does not scale either. A throttled attempt fails
 * like a wrong password ("Invalid username or password."), and so does an unknown username. Every attempt is
 * published as a {@link SignInAttempt} for the audit log.
 */
@Component
class ThrottledSignInProvider implements AuthenticationProvider {

	private final DaoAuthenticationProvider passwords;

	private final LoginThrottle throttle;

	private final SignInEvents events;

	ThrottledSignInProvider(AccountUserDetailsService users, PasswordEncoder passwordEncoder, LoginThrottle throttle,
			SignInEvents events) {
		this.passwords = new DaoAuthenticationProvider(users);
		this.passwords.setPasswordEncoder(passwordEncoder);
		// told apart here for the audit log only; the user is answered "Bad credentials" either way (below), after the
		// same decoy bcrypt comparison Spring makes for an unknown username
		this.passwords.setHideUserNotFoundExceptions(false);
		this.throttle = throttle;
		this.events = events;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String username = authentication.getName();
		LoginThrottle.Attempt attempt = throttle.attempt(username);
		if (attempt.throttled()) {
			events.failed(Outcome.THROTTLED, username, null, Channel.CONSOLE, null);
			throw new BadCredentialsException("Bad credentials");
		}
		try {
			Authentication signedIn = passwords.authenticate(authentication);
			attempt.succeeded();
			if (signedIn.getPrincipal() instanceof AccountUserDetails details) {
				events.succeeded(details.user(), Channel.CONSOLE, null);
			}
			return signedIn;
		}
		catch (UsernameNotFoundException ex) {
			attempt.failed();
			events.failed(Outcome.UNKNOWN_USER, username, null, Channel.CONSOLE, null);
			throw new BadCredentialsException("Bad credentials");
		}
		catch (BadCredentialsException ex) {
			attempt.failed();
			events.failed(Outcome.BAD_PASSWORD, username, null, Channel.CONSOLE, null);
			throw ex;
		}
		catch (DisabledException ex) {
			events.failed(Outcome.INACTIVE, username, null, Channel.CONSOLE, null);
			throw ex;
		}
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
