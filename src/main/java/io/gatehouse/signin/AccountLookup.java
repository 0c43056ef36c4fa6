package io.gatehouse.signin;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Reads an account as it is now, for code that acts on a user's behalf outside a session (bearer tokens, token
 * issuance): the active account and the authorities it holds. Two indexed reads.
 */
@Component
public class AccountLookup {

	private final JdbcSignInRepository repository;

	private final AccountAuthorities authorities;

	private final PasswordEncoder passwordEncoder;

	/** Compared against when the username is unknown, so the answer takes as long as for a known one. */
	private final String decoyHash;

	AccountLookup(JdbcSignInRepository repository, AccountAuthorities authorities, PasswordEncoder passwordEncoder) {
		this.repository = repository;
		this.authorities = authorities;
		this.passwordEncoder = passwordEncoder;
		this.decoyHash = passwordEncoder.encode("decoy-password-never-valid");
	}

	/**
	 * The active user with this username and password; empty when either is wrong or the account is inactive, in the
	 * same time whichever it is (a bcrypt comparison happens in every case).
	 */
	public Optional<SignedInUser> authenticate(String username, String password) {
		Checked checked = check(username, password);
		return checked.outcome().succeeded() ? Optional.of(checked.account()) : Optional.empty();
	}

	/** {@link #authenticate}, saying why it failed; the account is null only for an unknown username. */
	Checked check(String username, String password) {
		Optional<AccountUserDetails> details = username.length() > 255 ? Optional.empty()
				: repository.findByUsername(username);
		boolean matches = passwordEncoder.matches(password,
				details.map(AccountUserDetails::getPassword).orElse(decoyHash));
		if (details.isEmpty()) {
			return new Checked(SignInAttempt.Outcome.UNKNOWN_USER, null);
		}
		SignInAttempt.Outcome outcome = !matches ? SignInAttempt.Outcome.BAD_PASSWORD
				: !details.get().isEnabled() ? SignInAttempt.Outcome.INACTIVE : SignInAttempt.Outcome.SUCCEEDED;
		return new Checked(outcome, details.get().user());
	}

	/** The account with this id if it exists and is active; empty for deleted and deactivated accounts. */
	public Optional<SignedInUser> activeUser(long id) {
		return repository.findActive(id);
	}

	/** The account's email address, empty when none is recorded. */
	public Optional<String> emailOf(long id) {
		return repository.email(id).filter(email -> !email.isBlank());
	}

	/** The permissions the account holds now, directly or through any group (not counting the super admin flag). */
	public Set<String> grantedPermissions(long id) {
		return repository.grantedPermissions(id);
	}

	/**
	 * The authorities the user holds now: every permission for a super admin (plus the super admin authority),
	 * otherwise the permissions held directly or through groups.
	 */
	public List<GrantedAuthority> authoritiesOf(SignedInUser user) {
		return authorities.of(user);
	}

	/** The outcome of a password check, with the account the username named (null when it named none). */
	record Checked(SignInAttempt.Outcome outcome, @Nullable SignedInUser account) {
	}

}
