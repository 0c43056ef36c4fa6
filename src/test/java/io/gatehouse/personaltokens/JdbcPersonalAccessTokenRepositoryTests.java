package io.gatehouse.personaltokens;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import io.gatehouse.accounts.User;
import io.gatehouse.api.PageQuery;
import io.gatehouse.clients.TestAuthClients;
import io.gatehouse.personaltokens.JdbcPersonalAccessTokenRepository.TokenHolder;
import io.gatehouse.secrets.Secrets;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Personal access token storage; run on H2 and on PostgreSQL by the subclasses. */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import(JdbcPersonalAccessTokenRepository.class)
abstract class JdbcPersonalAccessTokenRepositoryTests {

	static final String CLIENT = PersonalAccessTokens.DEFAULT_CLIENT_ID;

	@Autowired
	JdbcPersonalAccessTokenRepository repository;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	/** Refreshes the planner's statistics, so plans are those of a database in use. */
	abstract void analyze();

	@Test
	void insertThenFindReadsBackEveryFieldWithClientName() {
		User owner = TestAccounts.user().create(jdbc);
		Instant created = Instant.parse("2026-03-01T10:15:30.123456Z");
		long id = repository.insert(owner.id(), CLIENT, "CI", "api", "a".repeat(64), created,
				created.plus(30, ChronoUnit.DAYS));

		PersonalAccessToken token = repository.find(owner.id(), id).orElseThrow();
		assertThat(token).isEqualTo(new PersonalAccessToken(id, owner.id(), "CI", CLIENT, "Personal Access Client",
				List.of("api"), created, created.plus(30, ChronoUnit.DAYS), null, null));
		assertThat(repository.find(owner.id() + 1, id)).isEmpty();
	}

	@Test
	void insertWhenNoExpiryThenStoredAsNeverExpiring() {
		User owner = TestAccounts.user().create(jdbc);
		long id = repository.insert(owner.id(), CLIENT, "forever", "api", "b".repeat(64), now(), null);
		assertThat(repository.find(owner.id(), id).orElseThrow().expiresAt()).isNull();
		assertThat(repository.findUsable("b".repeat(64), now().plus(3650, ChronoUnit.DAYS))).isPresent();
	}

	@Test
	void insertWhenHashTakenThenDuplicateKey() {
		User owner = TestAccounts.user().create(jdbc);
		repository.insert(owner.id(), CLIENT, "one", "api", "c".repeat(64), now(), null);
		assertThatThrownBy(() -> repository.insert(owner.id(), CLIENT, "two", "api", "c".repeat(64), now(), null))
			.isInstanceOf(DuplicateKeyException.class);
	}

	@Test
	void findUsableWhenRevokedExpiredInactiveOrClientGoneThenEmpty() {
		User owner = TestAccounts.user().name("Ada", "Lovelace").create(jdbc);
		Instant now = now();
		repository.insert(owner.id(), CLIENT, "ok", "api", "1".repeat(64), now, now.plusSeconds(60));
		TokenHolder holder = repository.findUsable("1".repeat(64), now).orElseThrow();
		assertThat(holder.accountId()).isEqualTo(owner.id());
		assertThat(holder.username()).isEqualTo(owner.username());
		assertThat(holder.firstname()).isEqualTo("Ada");
		assertThat(holder.scopes()).containsExactly("api");
		assertThat(holder.clientId()).isEqualTo(CLIENT);

		assertThat(repository.findUsable("1".repeat(64), now.plusSeconds(60))).as("expired").isEmpty();
		long revoked = repository.insert(owner.id(), CLIENT, "revoked", "api", "2".repeat(64), now, null);
		assertThat(repository.revoke(owner.id(), revoked, now)).isTrue();
		assertThat(repository.revoke(owner.id(), revoked, now)).as("already revoked").isFalse();
		assertThat(repository.findUsable("2".repeat(64), now)).as("revoked").isEmpty();
		assertThat(repository.findUsable("9".repeat(64), now)).as("unknown").isEmpty();

		jdbc.sql("update account set active = false where id = :id").param("id", owner.id()).update();
		assertThat(repository.findUsable("1".repeat(64), now)).as("inactive owner").isEmpty();
		jdbc.sql("update account set active = true where id = :id").param("id", owner.id()).update();
		TestAuthClients.disablePersonalAccess(jdbc, CLIENT);
		assertThat(repository.findUsable("1".repeat(64), now)).as("client without the grant").isEmpty();
	}

	@Test
	void deleteAccountWhenTokensExistThenTokensDeletedToo() {
		User owner = TestAccounts.user().create(jdbc);
		long id = repository.insert(owner.id(), CLIENT, "gone", "api", "3".repeat(64), now(), null);
		jdbc.sql("delete from account where id = :id").param("id", owner.id()).update();
		assertThat(jdbc.sql("select count(*) from personal_access_token where id = :id").param("id", id)
			.query(Long.class).single()).isZero();
	}

	@Test
	void touchWhenUsedWithinIntervalThenNotWrittenAgain() {
		User owner = TestAccounts.user().create(jdbc);
		Instant first = now();
		long id = repository.insert(owner.id(), CLIENT, "t", "api", "4".repeat(64), first, null);
		repository.touch(id, first, first.minusSeconds(60));
		repository.touch(id, first.plusSeconds(30), first.minusSeconds(30));
		assertThat(repository.find(owner.id(), id).orElseThrow().lastUsedAt()).isEqualTo(first);
		repository.touch(id, first.plusSeconds(61), first.plusSeconds(1));
		assertThat(repository.find(owner.id(), id).orElseThrow().lastUsedAt()).isEqualTo(first.plusSeconds(61));
	}

	@Test
	void revokeAllForClientWhenSomeActiveThenRevokesAndCountsOnlyActive() {
		User owner = TestAccounts.user().create(jdbc);
		String client = TestAuthClients.client().create(jdbc);
		Instant now = now();
		repository.insert(owner.id(), client, "a", "api", "5".repeat(64), now, null);
		repository.insert(owner.id(), client, "b", "api", "6".repeat(64), now, now.plusSeconds(60));
		repository.insert(owner.id(), client, "expired", "api", "7".repeat(64), now, now.minusSeconds(1));
		long revoked = repository.insert(owner.id(), client, "revoked", "api", "8".repeat(64), now, null);
		repository.revoke(owner.id(), revoked, now);

		assertThat(repository.countActiveForClient(client, now)).isEqualTo(2);
		assertThat(repository.revokeAllForClient(client, now)).isEqualTo(2);
		assertThat(repository.countActiveForClient(client, now)).isZero();
	}

	@Test
	void pageForAccountWhenManyThenNewestFirstAndCounted() {
		User owner = TestAccounts.user().create(jdbc);
		Instant start = Instant.parse("2026-01-01T00:00:00Z");
		for (int i = 0; i < 5; i++) {
			repository.insert(owner.id(), CLIENT, "t" + i, "api", String.valueOf(i).repeat(64).substring(0, 63) + "f",
					start.plusSeconds(i), null);
		}
		var page = repository.pageForAccount(owner.id(), new PageQuery(1, 2, "", "created_at", true));
		assertThat(page.rows()).extracting(PersonalAccessToken::name).containsExactly("t4", "t3");
		assertThat(page.total()).isEqualTo(5);
		assertThat(repository.pageForAccount(owner.id(), new PageQuery(3, 2, "", "created_at", false)).rows())
			.extracting(PersonalAccessToken::name).containsExactly("t4");
	}

	@Test
	void findUsableWhen20000TokensThenReadsTheHashIndexNotTheTable() {
		List<Long> owners = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			owners.add(TestAccounts.user().create(jdbc).id());
		}
		List<Object[]> rows = new ArrayList<>();
		OffsetDateTime start = OffsetDateTime.parse("2026-01-01T00:00:00Z");
		for (int i = 0; i < 20_000; i++) {
			rows.add(new Object[] { owners.get(i % owners.size()), "bulk " + i,
					Secrets.sha256("bulk-" + i), start.plusSeconds(i) });
		}
		new JdbcTemplate(dataSource).batchUpdate("""
				insert into personal_access_token (account_id, client_id, name, scopes, token_hash, created_at)
				values (?, 'personal-access-client', ?, 'api', ?, ?)
				""", rows);
		analyze();

		String plan = plan("""
				select t.id from personal_access_token t
				join account a on a.id = t.account_id
				join auth_client c on c.id = t.client_id
				where t.token_hash = 'x' and t.revoked_at is null and a.active = true and c.revoked = false
				""");
		assertThat(plan).contains("personal_access_token_hash_uk")
			.doesNotContain("seq scan on personal_access_token")
			.doesNotContain("personal_access_token.tablescan");
		assertThat(repository.findUsable(Secrets.sha256("bulk-12345"), Instant.now())).isPresent();
	}

	private String plan(String sql) {
		return String.join("\n", jdbc.sql("explain " + sql).query(String.class).list()).toLowerCase(Locale.ROOT);
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

	static OffsetDateTime utc(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}
