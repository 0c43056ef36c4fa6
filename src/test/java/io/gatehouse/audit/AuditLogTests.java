package io.gatehouse.audit;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/** Audit records stored and read back; run on H2 and PostgreSQL by the subclasses. */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ImportAutoConfiguration(JacksonAutoConfiguration.class)
@Import({ AuditLog.class, JdbcAuditRepository.class })
abstract class AuditLogTests {

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	AuditLog auditLog;

	@Test
	void historyOfWhenChangePublishedThenRecordReadsBackWithItsFieldChanges() {
		events.publishEvent(new AuditableChange(7L, "alice", "updated", "auth_client", "c-1", "Billing",
				List.of(new FieldChange("name", "Billing old", "Billing"), new FieldChange("redirect", null,
						"https://a.example/cb"))));

		List<AuditRecord> history = auditLog.historyOf("auth_client", "c-1", 10);

		assertThat(history).singleElement().satisfies(record -> {
			assertThat(record.actorId()).isEqualTo(7L);
			assertThat(record.actorUsername()).isEqualTo("alice");
			assertThat(record.action()).isEqualTo("updated");
			assertThat(record.subjectName()).isEqualTo("Billing");
			assertThat(record.occurredAt()).isNotNull();
			assertThat(record.changes()).containsExactly(new FieldChange("name", "Billing old", "Billing"),
					new FieldChange("redirect", null, "https://a.example/cb"));
		});
	}

	@Test
	void historyOfWhenSystemMadeTheChangeThenActorIdIsNull() {
		events.publishEvent(new AuditableChange(null, "system", "created", "user", "1", "admin", List.of()));

		assertThat(auditLog.historyOf("user", "1", 10)).singleElement().satisfies(record -> {
			assertThat(record.actorId()).isNull();
			assertThat(record.changes()).isEmpty();
		});
	}

	@Test
	void historyOfWhenSeveralChangesThenNewestFirstAndLimitHonoured() {
		for (String action : List.of("created", "updated", "secret_regenerated", "deleted")) {
			events.publishEvent(new AuditableChange(1L, "alice", action, "auth_client", "c-2", "Shop", List.of()));
		}

		assertThat(auditLog.historyOf("auth_client", "c-2", 10)).extracting(AuditRecord::action)
			.containsExactly("deleted", "secret_regenerated", "updated", "created");
		assertThat(auditLog.historyOf("auth_client", "c-2", 2)).extracting(AuditRecord::action)
			.containsExactly("deleted", "secret_regenerated");
	}

	@Test
	void historyOfWhenOtherSubjectsChangedThenOnlyThisSubjectsRecords() {
		events.publishEvent(new AuditableChange(1L, "alice", "created", "auth_client", "c-3", "Mine", List.of()));
		events.publishEvent(new AuditableChange(1L, "alice", "created", "auth_client", "c-4", "Other", List.of()));
		events.publishEvent(new AuditableChange(1L, "alice", "created", "group", "c-3", "Same id, other type",
				List.of()));

		assertThat(auditLog.historyOf("auth_client", "c-3", 10)).extracting(AuditRecord::subjectName)
			.containsExactly("Mine");
	}

}
