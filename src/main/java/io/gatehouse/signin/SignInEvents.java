package io.gatehouse.signin;

import java.util.Optional;

import io.gatehouse.signin.SignInAttempt.Channel;
import io.gatehouse.signin.SignInAttempt.Outcome;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/** Publishes a {@link SignInAttempt} for each sign-in, naming the account only when the attempt named a real one. */
@Component
class SignInEvents {

	private final ApplicationEventPublisher events;

	private final JdbcSignInRepository repository;

	private final SignInMetrics metrics;

	SignInEvents(ApplicationEventPublisher events, JdbcSignInRepository repository, SignInMetrics metrics) {
		this.events = events;
		this.repository = repository;
		this.metrics = metrics;
	}

	void succeeded(SignedInUser user, Channel channel, @Nullable String clientId) {
		metrics.succeeded(channel);
		events.publishEvent(new SignInAttempt(Outcome.SUCCEEDED, user.id(), user.username(), channel, clientId));
	}

	/** A failed or throttled attempt; the account it named is looked up (one unique-index read) unless given. */
	void failed(Outcome outcome, String attemptedUsername, @Nullable SignedInUser account, Channel channel,
			@Nullable String clientId) {
		if (outcome == Outcome.THROTTLED) {
			metrics.throttled(channel);
		}
		else {
			metrics.failed(channel);
		}
		Optional<SignedInUser> named = account != null ? Optional.of(account)
				: outcome == Outcome.UNKNOWN_USER || attemptedUsername.length() > 255 ? Optional.empty()
						: repository.findByUsername(attemptedUsername).map(AccountUserDetails::user);
		events.publishEvent(new SignInAttempt(outcome, named.map(SignedInUser::id).orElse(null),
				named.map(SignedInUser::username).orElse(null), channel, clientId));
	}

}
