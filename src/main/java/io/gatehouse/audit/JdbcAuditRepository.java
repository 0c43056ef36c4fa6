package io.gatehouse.audit;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcAuditRepository {

	private static final TypeReference<List<FieldChange>> CHANGES = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	JdbcAuditRepository(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	void insert(AuditableChange change) {
		jdbc.sql("""
				insert into audit_record (occurred_at, actor_id, actor_username, action, subject_type, subject_id,
				                          subject_name, changes)
				values (:occurredAt, :actorId, :actorUsername, :action, :subjectType, :subjectId, :subjectName,
				        :changes)
				""")
			.param("occurredAt", OffsetDateTime.now(ZoneOffset.UTC))
			.param("actorId", change.actorId())
			.param("actorUsername", change.actorUsername())
			.param("action", change.action())
			.param("subjectType", change.subjectType())
			.param("subjectId", change.subjectId())
			.param("subjectName", truncate(change.subjectName(), 255))
			.param("changes", json.writeValueAsString(new ArrayList<>(change.changes())))
			.update();
	}

	List<AuditRecord> findBySubject(String subjectType, String subjectId, int limit) {
		return jdbc.sql("""
				select id, occurred_at, actor_id, actor_username, action, subject_type, subject_id, subject_name,
				       changes
				from audit_record
				where subject_type = :subjectType and subject_id = :subjectId
				order by occurred_at desc, id desc
				fetch first :limit rows only
				""")
			.param("subjectType", subjectType)
			.param("subjectId", subjectId)
			.param("limit", limit)
			.query((rs, i) -> new AuditRecord(rs.getLong("id"),
					rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
					rs.getObject("actor_id") == null ? null : rs.getLong("actor_id"), rs.getString("actor_username"),
					rs.getString("action"), rs.getString("subject_type"), rs.getString("subject_id"),
					rs.getString("subject_name"), json.readValue(rs.getString("changes"), CHANGES)))
			.list();
	}

	private static String truncate(String value, int max) {
		return value.length() <= max ? value : value.substring(0, max);
	}

}
