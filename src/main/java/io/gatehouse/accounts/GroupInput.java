package io.gatehouse.accounts;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What a caller asks a group to become. On create the name is required and a null description is blank; on update a
 * null field keeps its current value.
 *
 * @param permissions the group's permissions, replacing the current ones; null leaves them as they are
 */
public record GroupInput(@Nullable String name, @Nullable String description, @Nullable Set<String> permissions) {
}
