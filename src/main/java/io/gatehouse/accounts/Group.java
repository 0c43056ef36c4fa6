package io.gatehouse.accounts;

import java.time.OffsetDateTime;

/** A group of users; every member holds every permission the group holds. */
public record Group(long id, String name, String description, int version, OffsetDateTime createdAt,
		OffsetDateTime updatedAt) {
}
