package io.gatehouse.accounts;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What a caller asks a user to become. On create a null field takes its default (blank name and email, active, not a
 * super admin, no permissions; username and password are required). On update a null field keeps its current value;
 * a null or empty password keeps the current password.
 *
 * @param permissions the user's direct permissions, replacing the current ones; null leaves them as they are
 */
public record UserInput(@Nullable String username, @Nullable String firstname, @Nullable String lastname,
		@Nullable String email, @Nullable Boolean active, @Nullable Boolean superAdmin, @Nullable String password,
		@Nullable Set<String> permissions) {
}
