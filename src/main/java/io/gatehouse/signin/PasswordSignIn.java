package io.gatehouse.signin;

import java.util.Optional;

import io.gatehouse.signin.SignInAttempt.Channel;
import io.gatehouse.signin.SignInAttempt.Outcome;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * A user's password checked on a client's behalf (the OAuth password grant): throttle -> credentials -> throttle
 * bookkeeping -> for a refusal, a {@link SignInAttempt} for the audit log. A throttled username is refused without
 * checking the password, exactly like a wrong one. A success is not published: it is a token issued, which costs the
 * token endpoint no audit write (metrics count it).
 */
@Component
public class PasswordSignIn {

	private final AccountLookup accounts;

	private final LoginThrottle throttle;

	private final SignInEvents events;

	private final SignInMetrics metrics;

	PasswordSignIn(AccountLookup accounts, LoginThrottle throttle, SignInEvents events, SignInMetrics metrics) {
		this.metrics = metrics;
		this.accounts = accounts;
		this.throttle = throttle;
		this.events = events;
	}

	/** The active user with this username and password; empty when refused, whatever the reason. */
	public Optional<SignedInUser> attempt(String username, String password, @Nullable String clientId) {
		LoginThrottle.Attempt attempt = throttle.attempt(username);
		if (attempt.throttled()) {
			events.failed(Outcome.THROTTLED, username, null, Channel.PASSWORD_GRANT, clientId);
			return Optional.empty();
		}
		AccountLookup.Checked checked = accounts.check(username, password);
		if (checked.outcome().succeeded()) {
			attempt.succeeded();
			// a granted password is a token issued, not an audit event (see SignInEvents); it is counted all the same
			metrics.succeeded(Channel.PASSWORD_GRANT);
			return Optional.of(checked.account());
		}
		attempt.failed();
		events.failed(checked.outcome(), username, checked.outcome() == Outcome.UNKNOWN_USER ? null : checked.account(),
				Channel.PASSWORD_GRANT, clientId);
		return Optional.empty();
	}

}
