package io.gatehouse.signin;

import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

/** Backs the login form. Unknown users and wrong passwords fail alike ("Invalid username or password."). */
@Service
class AccountUserDetailsService implements UserDetailsService {

	private final JdbcSignInRepository repository;

	AccountUserDetailsService(JdbcSignInRepository repository) {
		this.repository = repository;
	}

	@Override
	public UserDetails loadUserByUsername(String username) {
		if (username.length() > 255) {
			throw new UsernameNotFoundException("unknown");
		}
		return repository.findByUsername(username).orElseThrow(() -> new UsernameNotFoundException("unknown"));
	}

}
