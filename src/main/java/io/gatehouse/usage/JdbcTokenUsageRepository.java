package io.gatehouse.usage;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * {@code token_usage}: one row per client, grant type and hour. Counts are added, never set, so every node adds its
 * own and the sum is right however the flushes interleave.
 */
@Repository
class JdbcTokenUsageRepository {

	/** One summed cell of a series: the bucket's start and its grant type. */
	record Cell(Instant start, UsageGrantType grant, long count) {
	}

	private final JdbcClient jdbc;

	private final NamedParameterJdbcTemplate batches;

	JdbcTokenUsageRepository(JdbcClient jdbc, NamedParameterJdbcTemplate batches) {
		this.jdbc = jdbc;
		this.batches = batches;
	}

	/**
	 * Adds each count to its row: one batch of updates; the counts whose row did not exist are returned, for
	 * {@link #insert}.
	 */
	List<Map.Entry<UsageCounter.Key, Long>> addToExisting(List<Map.Entry<UsageCounter.Key, Long>> counts) {
		int[] updated = batches.batchUpdate("""
				update token_usage set token_count = token_count + :count
				where client_id = :client and grant_type = :grant and hour_start = :hour
				""", parameters(counts));
		List<Map.Entry<UsageCounter.Key, Long>> missing = new ArrayList<>();
		for (int i = 0; i < updated.length; i++) {
			if (updated[i] == 0) {
				missing.add(counts.get(i));
			}
		}
		return missing;
	}

	/** Inserts the rows; fails with a {@code DuplicateKeyException} when another node inserted one first. */
	void insert(List<Map.Entry<UsageCounter.Key, Long>> counts) {
		batches.batchUpdate("""
				insert into token_usage (client_id, grant_type, hour_start, token_count)
				values (:client, :grant, :hour, :count)
				""", parameters(counts));
	}

	/** The sums per hour and grant type of every client in {@code [since, until)}. */
	List<Cell> totals(Instant since, Instant until) {
		return jdbc.sql("""
				select hour_start, grant_type, sum(token_count) as total from token_usage
				where hour_start >= :since and hour_start < :until
				group by hour_start, grant_type
				""").param("since", utc(since)).param("until", utc(until))
			.query((rs, row) -> new Cell(rs.getObject(1, OffsetDateTime.class).toInstant(),
					UsageGrantType.ofKey(rs.getString(2)), rs.getLong(3)))
			.list();
	}

	/** One client's counts per hour and grant type, from {@code since}: at most hours x grant types rows. */
	List<Cell> ofClient(String clientId, Instant since, Instant until) {
		return jdbc.sql("""
				select hour_start, grant_type, token_count from token_usage
				where client_id = :client and hour_start >= :since and hour_start < :until
				""").param("client", clientId).param("since", utc(since)).param("until", utc(until))
			.query((rs, row) -> new Cell(rs.getObject(1, OffsetDateTime.class).toInstant(),
					UsageGrantType.ofKey(rs.getString(2)), rs.getLong(3)))
			.list();
	}

	/** The clients with the most tokens in the window, most first (ties by client id). */
	List<ClientUsage> top(Instant since, Instant until, int limit) {
		return jdbc.sql("""
				select client_id, sum(token_count) as total from token_usage
				where hour_start >= :since and hour_start < :until
				group by client_id
				order by total desc, client_id
				fetch first :limit rows only
				""").param("since", utc(since)).param("until", utc(until)).param("limit", limit)
			.query((rs, row) -> new ClientUsage(rs.getString(1), rs.getLong(2)))
			.list();
	}

	/** The distinct hours before {@code cutoff}, oldest first, at most {@code limit}: the retention's batches. */
	List<Instant> hoursBefore(Instant cutoff, int limit) {
		return jdbc.sql("""
				select distinct hour_start from token_usage where hour_start < :cutoff
				order by hour_start fetch first :limit rows only
				""").param("cutoff", utc(cutoff)).param("limit", limit)
			.query((rs, row) -> rs.getObject(1, OffsetDateTime.class).toInstant())
			.list();
	}

	int deleteHour(Instant hour) {
		return jdbc.sql("delete from token_usage where hour_start = :hour").param("hour", utc(hour)).update();
	}

	private static SqlParameterSource[] parameters(List<Map.Entry<UsageCounter.Key, Long>> counts) {
		return counts.stream().map(entry -> new MapSqlParameterSource()
			.addValue("client", entry.getKey().clientId())
			.addValue("grant", entry.getKey().grant().key())
			.addValue("hour", utc(Instant.ofEpochMilli(entry.getKey().hour() * UsageCounter.HOUR_MILLIS)))
			.addValue("count", entry.getValue())).toArray(SqlParameterSource[]::new);
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
