package io.gatehouse.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

import io.gatehouse.api.ValidationException;
import io.gatehouse.signin.SignInAttempt;
import io.gatehouse.signin.SignInAttempt.Channel;
import io.gatehouse.signin.SignInAttempt.Outcome;
import io.gatehouse.signing.SigningKeyCreated;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The audit log's search, its index use, retention and the sign-in budget; on H2 and PostgreSQL (subclasses). */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ImportAutoConfiguration(JacksonAutoConfiguration.class)
@Import({ AuditLog.class, JdbcAuditRepository.class, SigningKeyAuditor.class })
abstract class AuditSearchTests {

	@Autowired
	AuditLog log;

	@Autowired
	JdbcAuditRepository repository;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlatformTransactionManager transactions;

	@Autowired
	ApplicationEventPublisher events;

	/** Whether the plan of {@code explain <sql>} reads the rows through this index, in the list's order. */
	abstract boolean usesIndexInOrder(List<String> plan, String index);

	/** Makes the planner prefer an index over a full scan even on the test's few rows (PostgreSQL). */
	void preferIndexes() {
	}

	private void change(String actor, String type, String client) {
		String[] parts = type.split("\\.");
		log.record(new AuditableChange(null, actor, parts[1], parts[0], client, "subject",
				List.of(new FieldChange("f", null, "v")), client));
	}

	private static AuditQuery query(String actor, String client, String type) {
		return AuditQuery.parse(actor, client, type, null, null, null, null);
	}

	@Test
	void searchWhenFilteredByActorClientAndTypeThenOnlyMatchingRecordsNewestFirst() {
		change("Alice", "auth_client.updated", "c-1");
		change("bob", "auth_client.updated", "c-1");
		change("alice", "auth_client.deleted", "c-2");
		change("alice", "auth_client.created", "c-1");

		assertThat(log.search(query(" ALICE ", null, null)).rows()).extracting(AuditRecord::type)
			.containsExactly("auth_client.created", "auth_client.deleted", "auth_client.updated");
		assertThat(log.search(query(null, "c-1", null)).rows()).extracting(AuditRecord::actorUsername)
			.containsExactly("alice", "bob", "Alice");
		assertThat(log.search(query("alice", "c-1", "auth_client.updated")).rows())
			.extracting(AuditRecord::actorUsername).containsExactly("Alice");
	}

	@Test
	void searchWhenTimeRangeGivenThenFromInclusiveToExclusive() {
		change("timed", "user.created", "x");
		Instant at = log.search(query("timed", null, null)).rows().get(0).occurredAt();

		assertThat(log.search(AuditQuery.parse("timed", null, null, at.toString(), null, null, null)).rows())
			.hasSize(1);
		assertThat(log.search(AuditQuery.parse("timed", null, null, null, at.toString(), null, null)).rows())
			.isEmpty();
		assertThat(log.search(AuditQuery.parse("timed", null, null, at.minusSeconds(1).toString(),
				at.plusSeconds(1).toString(), null, null)).rows()).hasSize(1);
	}

	@Test
	void searchWhenMoreRecordsThanAPageThenPagesFollowOneAnother() {
		for (int i = 0; i < 5; i++) {
			change("pager", "group.updated", "g");
		}

		AuditPage first = log.search(AuditQuery.parse("pager", null, null, null, null, "1", "2"));
		AuditPage third = log.search(AuditQuery.parse("pager", null, null, null, null, "3", "2"));

		assertThat(first.rows()).hasSize(2);
		assertThat(first.hasNext()).isTrue();
		assertThat(third.rows()).hasSize(1);
		assertThat(third.hasNext()).isFalse();
		assertThat(first.rows().get(0).id()).isGreaterThan(first.rows().get(1).id());
	}

	@Test
	void parseWhenValuesMalformedThenEachParameterNamed() {
		assertThatThrownBy(() -> AuditQuery.parse(null, null, "nope.nope", "yesterday", "2026-13-01", "0", "101"))
			.isInstanceOfSatisfying(ValidationException.class, ex -> assertThat(ex.errors())
				.containsOnlyKeys("type", "from", "to", "page", "per_page"));
	}

	@Test
	void searchWhenFilteredThenThePlanWalksTheFiltersIndexInOrder() {
		preferIndexes();
		assertThat(usesIndexInOrder(explain(query(null, null, null)), "audit_record_time_idx")).isTrue();
		assertThat(usesIndexInOrder(explain(query("alice", null, null)), "audit_record_actor_idx")).isTrue();
		assertThat(usesIndexInOrder(explain(query(null, "c-1", null)), "audit_record_client_idx")).isTrue();
		assertThat(usesIndexInOrder(explain(query(null, null, "sign_in.failed")), "audit_record_type_idx"))
			.isTrue();
	}

	private List<String> explain(AuditQuery query) {
		return JdbcAuditRepository.bind(jdbc.sql("explain " + JdbcAuditRepository.searchSql(query)), query)
			.param("offset", 0)
			.param("limit", 21)
			.query((rs, i) -> rs.getString(1).toLowerCase(Locale.ROOT))
			.list();
	}

	@Test
	void deleteExpiredWhenRecordsOlderThanRetentionThenOnlyThoseDeleted() {
		insertAt("old-1", Instant.now().minus(Duration.ofDays(400)));
		insertAt("old-2", Instant.now().minus(Duration.ofDays(366)));
		insertAt("recent", Instant.now().minus(Duration.ofDays(364)));
		AuditRetention retention = new AuditRetention(repository, transactions,
				new AuditSettings(Duration.ofDays(365)), new StaticListableBeanFactory().getBeanProvider(Clock.class));

		assertThat(retention.deleteExpired()).isEqualTo(2);
		assertThat(subjects()).containsExactly("recent");
	}

	@Test
	void deleteOlderThanWhenMoreThanABatchThenOneBatchOnly() {
		for (int i = 1; i <= 3; i++) {
			insertAt("old-" + i, Instant.now().minus(Duration.ofDays(400 - i)));
		}

		assertThat(repository.deleteOlderThan(Instant.now(), 2)).isEqualTo(2);
		assertThat(subjects()).hasSize(1);
		assertThat(repository.deleteOlderThan(Instant.now(), 2)).isEqualTo(1);
		assertThat(subjects()).isEmpty();
	}

	@Test
	void settingsWhenRetentionUnderADayThenRefusedNamingTheVariable() {
		assertThatThrownBy(() -> new AuditSettings(Duration.ofHours(1)))
			.hasMessageStartingWith("GATEHOUSE_AUDIT_RETENTION");
	}

	@Test
	void signInAuditorWhenFailuresFloodThenBurstRecordedAndTheRestCountedOnce() {
		Clock frozen = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
		SignInAuditor auditor = new SignInAuditor(log, frozen);
		int attempts = SignInAuditor.BURST + 50;
		for (int i = 0; i < attempts; i++) {
			auditor.on(new SignInAttempt(Outcome.BAD_PASSWORD, 42L, "flooded", Channel.CONSOLE, null));
		}
		auditor.on(new SignInAttempt(Outcome.SUCCEEDED, 42L, "flooded", Channel.CONSOLE, null));
		auditor.recordSuppressed();

		assertThat(count("sign_in.failed")).isEqualTo(SignInAuditor.BURST);
		assertThat(count("sign_in.succeeded")).as("successes are never left out").isEqualTo(1);
		assertThat(log.search(query(null, null, "sign_in.failures_suppressed")).rows()).singleElement()
			.satisfies(r -> assertThat(r.changes()).containsExactly(new FieldChange("count", null, "50")));
	}

	@Test
	void signInAuditorWhenThrottledRepeatedlyThenRecordedOncePerMinutePerUsername() {
		SignInAuditor auditor = new SignInAuditor(log, Clock.systemUTC());
		for (int i = 0; i < 5; i++) {
			auditor.on(new SignInAttempt(Outcome.THROTTLED, 43L, "throttled-one", Channel.PASSWORD_GRANT, "c-9"));
		}

		assertThat(log.search(query("throttled-one", null, "sign_in.throttled")).rows()).singleElement()
			.satisfies(r -> {
				assertThat(r.clientId()).isEqualTo("c-9");
				assertThat(r.changes()).contains(new FieldChange("reason", null, "throttled"),
						new FieldChange("channel", null, "password_grant"));
			});
	}

	@Test
	void signingKeyAuditorWhenKeyRotatedThenRecordedWithKidAndNeverTheKey() {
		events.publishEvent(
				new SigningKeyCreated("kid-new", "RS256", Instant.parse("2026-12-02T00:00:00Z"), "kid-old"));

		assertThat(log.search(query(null, null, "signing_key.created")).rows()).singleElement().satisfies(r -> {
			assertThat(r.subjectId()).isEqualTo("kid-new");
			assertThat(r.actorUsername()).isEqualTo("system");
			assertThat(r.changes()).contains(new FieldChange("replaces", null, "kid-old"),
					new FieldChange("signs_from", null, "2026-12-02T00:00:00Z"));
		});
	}

	private long count(String type) {
		return jdbc.sql("select count(*) from audit_record where event_type = :t").param("t", type)
			.query(Long.class).single();
	}

	private void insertAt(String subject, Instant at) {
		jdbc.sql("""
				insert into audit_record (occurred_at, actor_username, actor_key, action, subject_type, subject_id,
				                          subject_name, changes, event_type)
				values (:at, 'aged', 'aged', 'updated', 'retention_test', 's', :subject, '[]', 'retention_test.updated')
				""").param("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC)).param("subject", subject).update();
	}

	private List<String> subjects() {
		return jdbc.sql("select subject_name from audit_record where subject_type = 'retention_test' order by id")
			.query(String.class).list();
	}

}
