package io.gatehouse.clients;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.sql.DataSource;

import io.gatehouse.api.Page;
import io.gatehouse.api.PageQuery;
import org.junit.jupiter.api.BeforeEach;
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

/** Auth client storage; run on H2 and on PostgreSQL by the subclasses. */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import(JdbcAuthClientRepository.class)
abstract class JdbcAuthClientRepositoryTests {

	@Autowired
	JdbcAuthClientRepository repository;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	/** Refreshes the planner's statistics, so plans are those of a database in use. */
	abstract void analyze();

	/** Counts and orders below are of the clients each test makes; V3's seeded client would shift them. */
	@BeforeEach
	void removeSeededClients() {
		jdbc.sql("delete from auth_client_secret").update();
		jdbc.sql("delete from auth_client").update();
	}

	@Test
	void insertThenFindLiveReadsBackEveryField() {
		AuthClient client = client("Billing", Instant.parse("2026-03-01T10:15:30.123456Z"),
				GrantType.AUTHORIZATION_CODE,
				GrantType.PERSONAL_ACCESS);
		repository.insert(client, "billing");

		assertThat(repository.findLive(client.id())).contains(client);
	}

	@Test
	void insertAndUpdateThenMayIntrospectOthersReadBack() {
		Instant created = now();
		AuthClient gateway = new AuthClient(java.util.UUID.randomUUID().toString(), "Gateway",
				Set.of(GrantType.PASSWORD), List.of(), false, true, null, false, 1, created, created);
		repository.insert(gateway, "gateway");
		assertThat(repository.findLive(gateway.id())).contains(gateway);

		AuthClient withdrawn = new AuthClient(gateway.id(), "Gateway", gateway.grants(), List.of(), false, false, null,
				false, 2, created, now());
		assertThat(repository.update(withdrawn, "gateway", 1)).isTrue();
		assertThat(repository.findLive(gateway.id()).orElseThrow().introspectOthers()).isFalse();
	}

	@Test
	void insertAndUpdateThenPolicyReadBack() {
		Instant created = now();
		ClientPolicy tuned = new ClientPolicy(java.time.Duration.ofSeconds(120), java.time.Duration.ofDays(2),
				Set.of("openid", "api"), true);
		AuthClient app = new AuthClient(java.util.UUID.randomUUID().toString(), "First party",
				Set.of(GrantType.AUTHORIZATION_CODE), List.of("https://app.example.com/cb"), false, false, false,
				List.of(), false, null, false, 1, created, created, tuned);
		repository.insert(app, "first party");
		assertThat(repository.findLive(app.id())).contains(app);
		assertThat(jdbc.sql("select allowed_scopes from auth_client where id = :id").param("id", app.id())
			.query(String.class).single()).isEqualTo("api openid");

		AuthClient defaults = new AuthClient(app.id(), app.name(), app.grants(), app.redirectUris(), false, false,
				false, List.of(), false, null, false, 2, created, now(), ClientPolicy.DEFAULT);
		assertThat(repository.update(defaults, "first party", 1)).isTrue();
		assertThat(repository.findLive(app.id()).orElseThrow().policy()).isEqualTo(ClientPolicy.DEFAULT);
	}

	@Test
	void insertAndUpdateThenTokenExchangeAndItsAudiencesReadBack() {
		Instant created = now();
		ClientPolicy audiences = new ClientPolicy(null, null, null, false, null, List.of("backend-a", "backend-b"));
		AuthClient gateway = new AuthClient(java.util.UUID.randomUUID().toString(), "Gateway",
				Set.of(GrantType.TOKEN_EXCHANGE, GrantType.PASSWORD), List.of(), false, false, false, List.of(), false,
				null, false, 1, created, created, audiences);
		repository.insert(gateway, "gateway");
		AuthClient stored = repository.findLive(gateway.id()).orElseThrow();
		assertThat(stored.grants()).contains(GrantType.TOKEN_EXCHANGE);
		assertThat(stored.policy().exchangeAudiences()).containsExactly("backend-a", "backend-b");

		AuthClient without = new AuthClient(gateway.id(), gateway.name(), Set.of(GrantType.PASSWORD), List.of(), false,
				false, false, List.of(), false, null, false, 2, created, now(), ClientPolicy.DEFAULT);
		assertThat(repository.update(without, "gateway", 1)).isTrue();
		AuthClient updated = repository.findLive(gateway.id()).orElseThrow();
		assertThat(updated.grants()).doesNotContain(GrantType.TOKEN_EXCHANGE);
		assertThat(updated.policy().exchangeAudiences()).isEmpty();
	}

	/** Outside the test's transaction: a use is recorded in a transaction of its own, which must see the rows. */
	@Test
	@org.springframework.transaction.annotation.Transactional(
			propagation = org.springframework.transaction.annotation.Propagation.NOT_SUPPORTED)
	void pageWhenOrderedByLastUseThenNeverUsedAsOldestBothWays() {
		Instant created = now();
		AuthClient never = client("Never", created, GrantType.PASSWORD);
		AuthClient old = client("Old", created, GrantType.PASSWORD);
		AuthClient recent = client("Recent", created, GrantType.PASSWORD);
		for (AuthClient each : List.of(never, old, recent)) {
			repository.insert(each, each.name().toLowerCase(Locale.ROOT));
		}
		OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1).truncatedTo(ChronoUnit.SECONDS);
		repository.recordUse(old.id(), at);
		repository.recordUse(recent.id(), at.plusMinutes(30));
		repository.recordUse(recent.id(), at.plusMinutes(30).plusSeconds(10));

		assertThat(repository.page(PageQuery.parse(null, null, null, "last_used_at", "asc", JdbcAuthClientRepository
			.ORDERABLE, "name")).rows()).extracting(AuthClient::name).containsExactly("Never", "Old", "Recent");
		assertThat(repository.page(PageQuery.parse(null, null, null, "last_used_at", "desc", JdbcAuthClientRepository
			.ORDERABLE, "name")).rows()).extracting(AuthClient::name).containsExactly("Recent", "Old", "Never");
		assertThat(repository.findLive(recent.id()).orElseThrow().lastUsedAt())
			.as("a second use within the minute is not written").isEqualTo(at.plusMinutes(30).toInstant());
		jdbc.sql("delete from auth_client").update();
	}

	@Test
	void insertWhenNameKeyTakenThenRefusedByDatabase() {
		repository.insert(client("Mobile", Instant.now()), "mobile");
		assertThatThrownBy(() -> repository.insert(client("MOBILE", Instant.now()), "mobile"))
			.isInstanceOf(DuplicateKeyException.class);
	}

	@Test
	void revokeThenHiddenFromListsAndNameFreed() {
		AuthClient client = client("Retired", Instant.now());
		repository.insert(client, "retired");
		assertThat(repository.revoke(client.id(), 1, OffsetDateTime.now(ZoneOffset.UTC))).isTrue();

		assertThat(repository.findLive(client.id())).isEmpty();
		assertThat(repository.page(query("", "name", false, 1)).rows()).isEmpty();
		assertThat(repository.nameTaken("retired", "other")).isFalse();
		repository.insert(client("Retired", Instant.now()), "retired");
	}

	@Test
	void updateWhenVersionStaleThenNothingWritten() {
		AuthClient client = client("Versioned", Instant.now());
		repository.insert(client, "versioned");
		AuthClient renamed = new AuthClient(client.id(), "Renamed", client.grants(), client.redirectUris(), false, 2,
				client.createdAt(), Instant.now().truncatedTo(ChronoUnit.MICROS));

		assertThat(repository.update(renamed, "renamed", 7)).isFalse();
		assertThat(repository.findLive(client.id()).orElseThrow().name()).isEqualTo("Versioned");
		assertThat(repository.update(renamed, "renamed", 1)).isTrue();
		assertThat(repository.findLive(client.id()).orElseThrow().name()).isEqualTo("Renamed");
	}

	@Test
	void pageWhenSortedAndPagedThenDatabaseOrdersAndCounts() {
		Instant start = Instant.parse("2026-01-01T00:00:00Z");
		List<String> names = List.of("delta", "Alpha", "charlie", "Bravo", "echo");
		for (int i = 0; i < names.size(); i++) {
			AuthClient client = client(names.get(i), start.plusSeconds(i));
			repository.insert(client, names.get(i).toLowerCase(Locale.ROOT));
		}

		Page<AuthClient> byName = repository.page(query("", "name", false, 1, 2));
		assertThat(byName.rows()).extracting(AuthClient::name).containsExactly("Alpha", "Bravo");
		assertThat(byName.total()).isEqualTo(5);
		assertThat(byName.totalPages()).isEqualTo(3);
		assertThat(repository.page(query("", "name", false, 3, 2)).rows()).extracting(AuthClient::name)
			.containsExactly("echo");
		assertThat(repository.page(query("", "name", true, 1, 2)).rows()).extracting(AuthClient::name)
			.containsExactly("echo", "delta");
		assertThat(repository.page(query("", "created_at", true, 1, 2)).rows()).extracting(AuthClient::name)
			.containsExactly("echo", "Bravo");
		assertThat(repository.page(query("", "created_at", false, 1, 2)).rows()).extracting(AuthClient::name)
			.containsExactly("delta", "Alpha");
	}

	@Test
	void pageWhenSearchingThenMatchesNameIdAndRedirectCaseInsensitivelyWithLiteralWildcards() {
		AuthClient billing = new AuthClient("id-billing-0001", "Billing_Portal", Set.of(GrantType.AUTHORIZATION_CODE),
				List.of("https://pay.example.com/cb", "http://127.0.0.1:9000/cb"), false, 1, now(), now());
		AuthClient other = client("Billing Portal 100%", now());
		repository.insert(billing, "billing_portal");
		repository.insert(other, "billing portal 100%");

		assertThat(names(repository.page(query("BILLING", "name", false, 1)))).containsExactly("Billing Portal 100%",
				"Billing_Portal");
		assertThat(names(repository.page(query("ID-BILLING", "name", false, 1)))).containsExactly("Billing_Portal");
		assertThat(names(repository.page(query("127.0.0.1:9000", "name", false, 1)))).containsExactly("Billing_Portal");
		assertThat(names(repository.page(query("g_p", "name", false, 1)))).containsExactly("Billing_Portal");
		assertThat(names(repository.page(query("100%", "name", false, 1)))).containsExactly("Billing Portal 100%");
		assertThat(names(repository.page(query("0%", "name", false, 1)))).containsExactly("Billing Portal 100%");
		assertThat(repository.page(query("%", "name", false, 1)).total()).isEqualTo(1);
	}

	@Test
	void pageWhen100000ClientsThenPageQueryReadsTheListIndexNotTheTable() {
		List<Object[]> rows = new ArrayList<>();
		OffsetDateTime start = OffsetDateTime.parse("2026-01-01T00:00:00Z");
		for (int i = 0; i < 100_000; i++) {
			rows.add(new Object[] { "bulk-" + i, "Bulk " + i, "bulk " + i, start.plusSeconds(i),
					start.plusSeconds(i) });
		}
		new JdbcTemplate(dataSource).batchUpdate("""
				insert into auth_client (id, name, name_key, authorization_code, password_grant,
				                         personal_access, redirect_uris, revoked, version, created_at, updated_at)
				values (?, ?, ?, false, true, false, '', false, 1, ?, ?)
				""", rows);
		analyze();

		for (String order : List.of("name", "created_at")) {
			for (boolean descending : List.of(false, true)) {
				PageQuery query = query("", order, descending, 5000);
				String plan = String.join("\n", jdbc.sql("explain " + JdbcAuthClientRepository.pageSql(query))
					.param("offset", query.offset())
					.param("limit", query.perPage())
					.query(String.class)
					.list()).toLowerCase(Locale.ROOT);
				assertThat(plan).as("%s %s", order, descending ? "desc" : "asc")
					.contains(order.equals("name") ? "auth_client_list_name_idx" : "auth_client_list_created_idx")
					.doesNotContain("seq scan")
					.doesNotContain("tablescan");
			}
		}
		Page<AuthClient> page = repository.page(query("", "name", false, 5000));
		assertThat(page.total()).isEqualTo(100_000);
		assertThat(page.rows()).hasSize(10);
	}

	private static List<String> names(Page<AuthClient> page) {
		return page.rows().stream().map(AuthClient::name).toList();
	}

	private static PageQuery query(String filter, String orderBy, boolean descending, int page) {
		return query(filter, orderBy, descending, page, 10);
	}

	private static PageQuery query(String filter, String orderBy, boolean descending, int page, int perPage) {
		return new PageQuery(page, perPage, filter, orderBy, descending);
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

	private static AuthClient client(String name, Instant created, GrantType... grants) {
		Set<GrantType> set = grants.length == 0 ? Set.of(GrantType.PASSWORD) : Set.of(grants);
		List<String> redirects = set.contains(GrantType.AUTHORIZATION_CODE)
				? List.of("https://b.example/cb", "https://a.example/cb") : List.of();
		return new AuthClient(java.util.UUID.randomUUID().toString(), name, set, redirects, false, 1,
				created.truncatedTo(ChronoUnit.MICROS), created.truncatedTo(ChronoUnit.MICROS));
	}

}
