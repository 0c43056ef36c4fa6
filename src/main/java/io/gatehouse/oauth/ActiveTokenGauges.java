package io.gatehouse.oauth;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code gatehouse.oauth.active.tokens} (unexpired, not invalidated access and refresh tokens, by type) and
 * {@code gatehouse.oauth.active.grants} (grants not revoked), sampled once a minute rather than counted per request:
 * the token endpoint pays nothing for them, and a scrape reads a number in memory, never the database.
 */
@Component
final class ActiveTokenGauges implements ActiveTokens {

	private static final Logger log = LoggerFactory.getLogger(ActiveTokenGauges.class);

	private final JdbcClient jdbc;

	private final AtomicLong accessTokens = new AtomicLong();

	private final AtomicLong refreshTokens = new AtomicLong();

	private final AtomicLong grants = new AtomicLong();

	ActiveTokenGauges(JdbcClient jdbc, MeterRegistry registry) {
		this.jdbc = jdbc;
		Gauge.builder("gatehouse.oauth.active.tokens", accessTokens, AtomicLong::get)
			.description("Usable tokens, sampled every minute")
			.tag("type", "access_token")
			.register(registry);
		Gauge.builder("gatehouse.oauth.active.tokens", refreshTokens, AtomicLong::get)
			.description("Usable tokens, sampled every minute")
			.tag("type", "refresh_token")
			.register(registry);
		Gauge.builder("gatehouse.oauth.active.grants", grants, AtomicLong::get)
			.description("Grants not revoked, sampled every minute")
			.register(registry);
	}

	@Scheduled(initialDelay = 0, fixedDelay = 60_000)
	void sample() {
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		try {
			accessTokens.set(countUsable("access_token", now));
			refreshTokens.set(countUsable("refresh_token", now));
			grants.set(jdbc.sql("select count(*) from oauth_authorization where revoked_at is null")
				.query(Long.class)
				.single());
		}
		catch (DataAccessException ex) {
			// the database is away: the gauges keep their last sample, and readiness reports the outage
			log.debug("Could not sample the active tokens: {}", ex.getMessage());
		}
	}

	@Override
	public long accessTokens() {
		return accessTokens.get();
	}

	@Override
	public long refreshTokens() {
		return refreshTokens.get();
	}

	private long countUsable(String type, OffsetDateTime now) {
		return jdbc.sql("""
				select count(*) from oauth_token
				where token_type = :type and invalidated_at is null and (expires_at is null or expires_at > :now)
				""").param("type", type).param("now", now).query(Long.class).single();
	}

}
