package io.gatehouse.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.gatehouse.database.NameKeys;
import io.gatehouse.database.Timestamps;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.JdbcClient.StatementSpec;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/**
 * Storage for audit records (table {@code audit_record}). A search reads one page in the order of an index that
 * ends in {@code (occurred_at, id)}: V30's {@code audit_record_time_idx} with no filter, or the index of the
 * filter ({@code _actor_idx}, {@code _client_idx}, {@code _type_idx}), so it costs the same among a million records
 * as among a hundred.
 */
@Repository
class JdbcAuditRepository {

	private static final TypeReference<List<FieldChange>> CHANGES = new TypeReference<>() {
	};

	private static final String COLUMNS = """
			id, occurred_at, actor_id, actor_username, action, subject_type, subject_id, subject_name, changes,
			client_id""";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	/** Null only for tests that write single rows without Spring. */
	private final @Nullable NamedParameterJdbcTemplate batch;

	JdbcAuditRepository(JdbcClient jdbc, JsonMapper json) {
		this(jdbc, null, json);
	}

	@Autowired
	JdbcAuditRepository(JdbcClient jdbc, @Nullable NamedParameterJdbcTemplate batch, JsonMapper json) {
		this.jdbc = jdbc;
		this.batch = batch;
		this.json = json;
	}

	private static final String INSERT = """
			insert into audit_record (occurred_at, actor_id, actor_username, actor_key, action, subject_type,
			                          subject_id, subject_name, changes, event_type, client_id)
			values (:occurredAt, :actorId, :actorUsername, :actorKey, :action, :subjectType, :subjectId,
			        :subjectName, :changes, :eventType, :clientId)
			""";

	/** Rows per JDBC batch: large enough that round trips stop mattering, small enough to bound the driver's memory. */
	private static final int BATCH = 1000;

	/**
	 * Records of one event type since a time, and how many distinct accounts they name: a range of
	 * {@code audit_record_type_idx} (event type, then time), never a scan of the log.
	 */
	long[] countSince(String eventType, Instant since) {
		return jdbc.sql("""
				select count(*), count(distinct actor_id) from audit_record
				where event_type = :type and occurred_at >= :since
				""").param("type", eventType).param("since", since.atOffset(ZoneOffset.UTC))
			.query((rs, row) -> new long[] { rs.getLong(1), rs.getLong(2) })
			.single();
	}

	AuditRecord insert(AuditableChange change) {
		OffsetDateTime now = Timestamps.nowUtc();
		GeneratedKeyHolder keys = new GeneratedKeyHolder();
		jdbc.sql(INSERT).params(parameters(change, now)).update(keys, "id");
		return recordOf(keys.getKey().longValue(), change, now);
	}

	/** Inserts the records in JDBC batches (a round trip per thousand, not per record), in the given order. */
	List<AuditRecord> insertAll(List<AuditableChange> changes) {
		OffsetDateTime now = Timestamps.nowUtc();
		List<AuditRecord> records = new ArrayList<>(changes.size());
		for (int from = 0; from < changes.size(); from += BATCH) {
			List<AuditableChange> chunk = changes.subList(from, Math.min(changes.size(), from + BATCH));
			SqlParameterSource[] rows = chunk.stream()
				.map(change -> new MapSqlParameterSource(parameters(change, now)))
				.toArray(SqlParameterSource[]::new);
			GeneratedKeyHolder keys = new GeneratedKeyHolder();
			Objects.requireNonNull(batch).batchUpdate(INSERT, rows, keys, new String[] { "id" });
			List<Map<String, Object>> ids = keys.getKeyList();
			for (int i = 0; i < chunk.size(); i++) {
				records.add(recordOf(((Number) ids.get(i).get("id")).longValue(), chunk.get(i), now));
			}
		}
		return records;
	}

	private Map<String, @Nullable Object> parameters(AuditableChange change, OffsetDateTime now) {
		String actor = truncate(change.actorUsername(), 255);
		Map<String, @Nullable Object> parameters = new HashMap<>();
		parameters.put("occurredAt", now);
		parameters.put("actorId", change.actorId());
		parameters.put("actorUsername", actor);
		parameters.put("actorKey", NameKeys.of(actor));
		parameters.put("action", change.action());
		parameters.put("subjectType", change.subjectType());
		parameters.put("subjectId", truncate(change.subjectId(), 64));
		parameters.put("subjectName", truncate(change.subjectName(), 255));
		parameters.put("changes", json.writeValueAsString(new ArrayList<>(change.changes())));
		parameters.put("eventType", change.type());
		parameters.put("clientId", change.clientId() == null ? null : truncate(change.clientId(), 64));
		return parameters;
	}

	private static AuditRecord recordOf(long id, AuditableChange change, OffsetDateTime now) {
		return new AuditRecord(id, now.toInstant(), change.actorId(), truncate(change.actorUsername(), 255),
				change.action(), change.subjectType(), truncate(change.subjectId(), 64),
				truncate(change.subjectName(), 255), change.changes(), change.clientId());
	}

	List<AuditRecord> findBySubject(String subjectType, String subjectId, int limit) {
		return jdbc.sql("select " + COLUMNS + """
				 from audit_record
				where subject_type = :subjectType and subject_id = :subjectId
				order by occurred_at desc, id desc
				fetch first :limit rows only
				""")
			.param("subjectType", subjectType)
			.param("subjectId", subjectId)
			.param("limit", limit)
			.query(this::map)
			.list();
	}

	/** A page, newest first; one row more than the page is read to know whether another page follows. */
	AuditPage search(AuditQuery query) {
		List<AuditRecord> rows = bind(jdbc.sql(searchSql(query)), query).param("offset", query.offset())
			.param("limit", query.perPage() + 1)
			.query(this::map)
			.list();
		boolean more = rows.size() > query.perPage();
		return new AuditPage(more ? rows.subList(0, query.perPage()) : rows, query.page(), query.perPage(), more);
	}

	/** The search query, with {@code :offset}, {@code :limit} and the query's filters to bind ({@link #bind}). */
	static String searchSql(AuditQuery query) {
		StringBuilder where = new StringBuilder(" where 1 = 1");
		if (query.actorKey() != null) {
			where.append(" and actor_key = :actor");
		}
		if (query.clientId() != null) {
			where.append(" and client_id = :client");
		}
		if (query.type() != null) {
			where.append(" and event_type = :type");
		}
		if (query.from() != null) {
			where.append(" and occurred_at >= :from");
		}
		if (query.to() != null) {
			where.append(" and occurred_at < :to");
		}
		// the filter's own column first in the order changes nothing (it is one value), but lets H2 see that its index
		// delivers the rows in order (it matches an order by only against a prefix of the index's columns)
		String leading = query.actorKey() != null ? "actor_key, " : query.clientId() != null ? "client_id, "
				: query.type() != null ? "event_type, " : "";
		return "select " + COLUMNS + " from audit_record" + where + " order by " + leading
				+ "occurred_at desc, id desc offset :offset rows fetch first :limit rows only";
	}

	static StatementSpec bind(StatementSpec statement, AuditQuery query) {
		StatementSpec bound = statement;
		if (query.actorKey() != null) {
			bound = bound.param("actor", query.actorKey());
		}
		if (query.clientId() != null) {
			bound = bound.param("client", query.clientId());
		}
		if (query.type() != null) {
			bound = bound.param("type", query.type());
		}
		if (query.from() != null) {
			bound = bound.param("from", utc(query.from()));
		}
		if (query.to() != null) {
			bound = bound.param("to", utc(query.to()));
		}
		return bound;
	}

	/**
	 * Deletes up to {@code batch} records older than {@code cutoff}, in no particular order (the caller repeats until
	 * none is left; an order would cost a sort of every expired row per batch), while holding the cleanup lock, so
	 * of several nodes one deletes at a time. Joins the caller's transaction; returns how many were deleted.
	 */
	int deleteOlderThan(Instant cutoff, int batch) {
		jdbc.sql("select id from audit_cleanup_lock where id = 1 for update").query(Integer.class).list();
		return jdbc.sql("""
				delete from audit_record where id in (
				    select id from audit_record where occurred_at < :cutoff fetch first :batch rows only)
				""").param("cutoff", utc(cutoff)).param("batch", batch).update();
	}

	private AuditRecord map(ResultSet rs, int row) throws SQLException {
		return new AuditRecord(rs.getLong("id"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
				rs.getObject("actor_id") == null ? null : rs.getLong("actor_id"), rs.getString("actor_username"),
				rs.getString("action"), rs.getString("subject_type"), rs.getString("subject_id"),
				rs.getString("subject_name"), json.readValue(rs.getString("changes"), CHANGES),
				rs.getString("client_id"));
	}

	private static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private static String truncate(String value, int max) {
		if (value.length() <= max) {
			return value;
		}
		// never split a surrogate pair
		return value.substring(0, Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max);
	}

}
