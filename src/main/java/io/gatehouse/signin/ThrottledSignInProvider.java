package io.gatehouse.signin;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The console's login: username and password against the stored bcrypt hash, with the same per-username throttle
 * as the OAuth password grant, so guessing through the login form does not scale either. A throttled attempt fails
 * like a wrong password ("Invalid username or password.").
 */
@Component
class ThrottledSignInProvider implements AuthenticationProvider {

	private final DaoAuthenticationProvider passwords;

	private final LoginThrottle throttle;

	ThrottledSignInProvider(AccountUserDetailsService users, PasswordEncoder passwordEncoder, LoginThrottle throttle) {
		this.passwords = new DaoAuthenticationProvider(users);
		this.passwords.setPasswordEncoder(passwordEncoder);
		this.throttle = throttle;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String username = authentication.getName();
		if (throttle.isThrottled(username)) {
			throw new BadCredentialsException("Bad credentials");
		}
		try {
			Authentication signedIn = passwords.authenticate(authentication);
			throttle.succeeded(username);
			return signedIn;
		}
		catch (BadCredentialsException ex) {
			throttle.failed(username);
			throw ex;
		}
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
