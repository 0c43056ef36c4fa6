package io.gatehouse.accounts;

import java.time.OffsetDateTime;

/**
 * A group of users; every member holds every permission the group holds.
 *
 * @param protectedGroup the group keeps its name, its permissions and its existence unless a super admin changes
 *     them (the seeded Administrators group)
 */
public record Group(long id, String name, String description, int version, OffsetDateTime createdAt,
		OffsetDateTime updatedAt, boolean protectedGroup) {
}
