package io.gatehouse.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.gatehouse.database.NameKeys;
import io.gatehouse.database.Timestamps;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

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

	JdbcAuditRepository(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

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
		String subjectName = truncate(change.subjectName(), 255);
		String actor = truncate(change.actorUsername(), 255);
		GeneratedKeyHolder keys = new GeneratedKeyHolder();
		jdbc.sql("""
				insert into audit_record (occurred_at, actor_id, actor_username, actor_key, action, subject_type,
				                          subject_id, subject_name, changes, event_type, client_id)
				values (:occurredAt, :actorId, :actorUsername, :actorKey, :action, :subjectType, :subjectId,
				        :subjectName, :changes, :eventType, :clientId)
				""")
			.param("occurredAt", now)
			.param("actorId", change.actorId())
			.param("actorUsername", actor)
			.param("actorKey", NameKeys.of(actor))
			.param("action", change.action())
			.param("subjectType", change.subjectType())
			.param("subjectId", truncate(change.subjectId(), 64))
			.param("subjectName", subjectName)
			.param("changes", json.writeValueAsString(new ArrayList<>(change.changes())))
			.param("eventType", change.type())
			.param("clientId", change.clientId() == null ? null : truncate(change.clientId(), 64))
			.update(keys, "id");
		return new AuditRecord(keys.getKey().longValue(), now.toInstant(), change.actorId(), actor, change.action(),
				change.subjectType(), truncate(change.subjectId(), 64), subjectName, change.changes(),
				change.clientId());
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
