package io.gatehouse.signin;

import org.jspecify.annotations.Nullable;

/**
 * Event published after every password sign-in, on the console's login form and at the OAuth password grant, for the
 * audit log. It never carries the password, nor the text typed as a username unless it names an existing account
 * (people type passwords into the username field).
 *
 * @param accountId the account the attempt named, when one exists
 * @param username that account's username, as stored; null when the attempt named no account
 * @param clientId the client that sent the user's password (password grant); null on the console
 */
public record SignInAttempt(Outcome outcome, @Nullable Long accountId, @Nullable String username, Channel channel,
		@Nullable String clientId) {

	public enum Outcome {

		SUCCEEDED,

		/** The account exists; the password was wrong. */
		BAD_PASSWORD,

		/** No account has that username. */
		UNKNOWN_USER,

		/** The account is deactivated, or a service account, which never signs in. */
		INACTIVE,

		/** Refused unchecked: the username failed too often recently ({@link LoginThrottle}). */
		THROTTLED;

		public boolean succeeded() {
			return this == SUCCEEDED;
		}

	}

	public enum Channel {

		/** The console's login form. */
		CONSOLE,

		/** The OAuth password grant at the token endpoint. */
		PASSWORD_GRANT

	}

}
