package io.gatehouse.signin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.gatehouse.cluster.ChangeSignal;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.InvalidatingCache;
import io.gatehouse.cluster.Topics;

import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * The active accounts of recent requests and what each may do, so that a request costs no read of the accounts
 * tables. An entry is dropped when its account changes (signal {@code account}: active flag, super admin flag,
 * direct permissions, names, deletion) and every entry when any group changes (signal {@code group}: its members
 * past and present cannot be told from its id once the change is committed). On this node that happens in the
 * changing request's thread after its commit, so the next request sees the change; other nodes within
 * {@link ChangeSignals#STALENESS_BOUND}. Inactive and unknown accounts are not kept: they are read each time.
 */
@Component
class ActiveAccounts {

	static final int MAX_ACCOUNTS = 10_000;

	/** A backstop only, for a change made behind Gatehouse's back (SQL): correctness comes from the signals. */
	static final Duration MAX_AGE = Duration.ofMinutes(10);

	private final JdbcSignInRepository repository;

	private final InvalidatingCache<Long, ActiveAccount> accounts;

	ActiveAccounts(JdbcSignInRepository repository, ChangeSignals signals) {
		this.repository = repository;
		this.accounts = signals.cache(MAX_ACCOUNTS, MAX_AGE);
	}

	/** The account as it is now, with its authorities; null when it is deleted or deactivated. */
	@Nullable ActiveAccount get(long id) {
		return accounts.get(id, this::load);
	}

	private @Nullable ActiveAccount load(long id) {
		return repository.findActive(id).map(user -> new ActiveAccount(user, read(user))).orElse(null);
	}

	/** The user's authorities as the tables hold them now: every permission for a super admin. */
	List<GrantedAuthority> read(SignedInUser user) {
		List<GrantedAuthority> authorities = new ArrayList<>();
		if (user.superAdmin()) {
			Permissions.ALL.forEach(name -> authorities.add(new SimpleGrantedAuthority(name)));
			authorities.add(new SimpleGrantedAuthority(Permissions.SUPER_ADMIN_AUTHORITY));
		}
		else {
			repository.grantedPermissions(user.id())
				.stream()
				.sorted()
				.forEach(name -> authorities.add(new SimpleGrantedAuthority(name)));
		}
		return List.copyOf(authorities);
	}

	@EventListener
	void on(ChangeSignal signal) {
		if (signal.is(Topics.GROUP)) {
			accounts.invalidateAll();
		}
		else if (signal.is(Topics.ACCOUNT)) {
			try {
				accounts.invalidate(Long.parseLong(signal.key()));
			}
			catch (NumberFormatException ex) {
				// not an id this version publishes: drop everything rather than keep what it may name
				accounts.invalidateAll();
			}
		}
	}

	/** An active account and the authorities it holds; immutable. */
	record ActiveAccount(SignedInUser user, List<GrantedAuthority> authorities) {
	}

}
