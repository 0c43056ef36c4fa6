package io.gatehouse.database;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The current time at microsecond precision: what both databases store, so a value read back equals the one written
 * (and equals the one a service returned before reading it back).
 */
public final class Timestamps {

	private Timestamps() {
	}

	public static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

	/** {@link #now()} in UTC, as JDBC binds a {@code timestamp with time zone}. */
	public static OffsetDateTime nowUtc() {
		return OffsetDateTime.ofInstant(now(), ZoneOffset.UTC);
	}

}
