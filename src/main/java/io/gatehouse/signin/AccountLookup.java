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
 * issuance): the active account and the authorities it holds, from {@link ActiveAccounts} (no read on a hit).
 */
@Component
public class AccountLookup {

	private final JdbcSignInRepository repository;

	private final ActiveAccounts active;

	private final AccountAuthorities authorities;

	private final PasswordEncoder passwordEncoder;

	/**
	 * Compared against when the username is unknown, so the answer takes as long as for a known one. Made on first
	 * need, as Spring's {@code DaoAuthenticationProvider} does, rather than as a bcrypt on the start-up path.
	 */
	private volatile @Nullable String decoyHash;

	AccountLookup(JdbcSignInRepository repository, ActiveAccounts active, AccountAuthorities authorities,
			PasswordEncoder passwordEncoder) {
		this.repository = repository;
		this.active = active;
		this.authorities = authorities;
		this.passwordEncoder = passwordEncoder;
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
				details.map(AccountUserDetails::getPassword).orElseGet(this::decoyHash));
		if (details.isEmpty()) {
			return new Checked(SignInAttempt.Outcome.UNKNOWN_USER, null);
		}
		SignInAttempt.Outcome outcome = !matches ? SignInAttempt.Outcome.BAD_PASSWORD
				: !details.get().isEnabled() ? SignInAttempt.Outcome.INACTIVE : SignInAttempt.Outcome.SUCCEEDED;
		return new Checked(outcome, details.get().user());
	}

	private String decoyHash() {
		String hash = decoyHash;
		if (hash == null) {
			// two threads may both make one: either hash serves
			hash = passwordEncoder.encode("decoy-password-never-valid");
			decoyHash = hash;
		}
		return hash;
	}

	/**
	 * The account with this id if it exists and is active; empty for deleted and deactivated accounts. Cached: a
	 * change is seen at once on this node and within the change signals' bound on the others.
	 */
	public Optional<SignedInUser> activeUser(long id) {
		return Optional.ofNullable(active.get(id)).map(ActiveAccounts.ActiveAccount::user);
	}

	/**
	 * Like {@link #activeUser}, read from the database now: for checks that must also see another node's change of
	 * the last second, such as who may change whom.
	 */
	public Optional<SignedInUser> readActiveUser(long id) {
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
