package io.gatehouse.signin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;

import io.gatehouse.database.NameKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code login_throttle} table: one row per username that failed recently, keyed by the SHA-256 of its
 * normalised form. Every statement is atomic on its own (no enclosing transaction), so it runs alike on H2 and
 * PostgreSQL: an {@code update} that increments in place (row-locked, so concurrent failures from any node all
 * count), and for a username's first failure an {@code insert ... on conflict do nothing}, after which a lost race
 * falls back to the update.
 */
@Repository
class JdbcLoginThrottleRepository {

	private final JdbcClient jdbc;

	JdbcLoginThrottleRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	static String key(String username) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256")
				.digest(NameKeys.of(username).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(hash);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	@Nullable Failures find(String key) {
		Optional<Failures> found = jdbc.sql("""
				select failures, last_failure_at from login_throttle where username_hash = :key
				""")
			.param("key", key)
			.query((rs, row) -> new Failures(rs.getInt("failures"),
					rs.getObject("last_failure_at", OffsetDateTime.class).toInstant()))
			.optional();
		return found.orElse(null);
	}

	/**
	 * One more failure at {@code now}; a count whose last failure is before {@code windowStart} starts again at 1.
	 */
	void countFailure(String key, Instant now, Instant windowStart) {
		if (increment(key, now, windowStart) > 0) {
			return;
		}
		int inserted = jdbc.sql("""
				insert into login_throttle (username_hash, failures, last_failure_at)
				values (:key, 1, :now)
				on conflict do nothing
				""").param("key", key).param("now", utc(now)).update();
		if (inserted == 0) {
			// another request inserted the row first: count on it
			increment(key, now, windowStart);
		}
	}

	private int increment(String key, Instant now, Instant windowStart) {
		return jdbc.sql("""
				update login_throttle
				set failures = case when last_failure_at < :windowStart then 1 else failures + 1 end,
				    last_failure_at = greatest(last_failure_at, :now)
				where username_hash = :key
				""")
			.param("key", key)
			.param("now", utc(now))
			.param("windowStart", utc(windowStart))
			.update();
	}

	void delete(String key) {
		jdbc.sql("delete from login_throttle where username_hash = :key").param("key", key).update();
	}

	int deleteOlderThan(Instant cutoff) {
		return jdbc.sql("delete from login_throttle where last_failure_at < :cutoff")
			.param("cutoff", utc(cutoff))
			.update();
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	/** How many failures are counted, and when the last one was. */
	record Failures(int count, Instant lastFailure) {
	}

}
