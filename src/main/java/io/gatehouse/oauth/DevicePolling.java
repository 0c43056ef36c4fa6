package io.gatehouse.oauth;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * RFC 8628 3.5: how fast a device polls. Each poll of a device code is recorded on the code's own row (so every node
 * sees it); a poll sooner than the interval after the previous one is {@code slow_down}, and raises the interval by
 * 5 seconds for that device code from then on. The row is locked while it is read and written, so two polls at once
 * are counted one after the other.
 */
@Component
class DevicePolling {

	/** The interval the device authorization response names (RFC 8628 3.2: 5 seconds unless the server says). */
	static final int INTERVAL_SECONDS = 5;

	/** RFC 8628 3.5: what each {@code slow_down} adds to the interval. */
	static final int SLOW_DOWN_SECONDS = 5;

	private final JdbcClient jdbc;

	DevicePolling(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A device code's poll state: when it was last polled (null before the first poll) and its interval. */
	private record Poll(OffsetDateTime polledAt, int interval) {
	}

	/**
	 * Records a poll of the device code now. Returns the interval the device must now keep when this poll came too
	 * soon (it is then answered {@code slow_down}), or empty when it may go on (also for a code not known here, which
	 * Spring's grant answers {@code invalid_grant}).
	 */
	@Transactional
	Optional<Integer> tooSoon(String deviceCode) {
		String hash = TokenHashes.of(deviceCode);
		Optional<Poll> poll = jdbc.sql("""
				select polled_at, poll_interval from oauth_token
				where token_hash = :hash and token_type = 'device_code'
				for update
				""").param("hash", hash)
			.query((rs, i) -> new Poll(rs.getObject("polled_at", OffsetDateTime.class),
					rs.getObject("poll_interval") == null ? INTERVAL_SECONDS : rs.getInt("poll_interval")))
			.optional();
		if (poll.isEmpty()) {
			return Optional.empty();
		}
		Instant now = Instant.now();
		OffsetDateTime last = poll.get().polledAt();
		boolean tooSoon = last != null
				&& now.isBefore(last.toInstant().plus(Duration.ofSeconds(poll.get().interval())));
		int interval = tooSoon ? poll.get().interval() + SLOW_DOWN_SECONDS : poll.get().interval();
		jdbc.sql("update oauth_token set polled_at = :now, poll_interval = :interval where token_hash = :hash")
			.param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
			.param("interval", interval)
			.param("hash", hash)
			.update();
		return tooSoon ? Optional.of(interval) : Optional.empty();
	}

}
