package io.gatehouse.clients;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import io.gatehouse.api.Page;
import io.gatehouse.api.PageQuery;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.SignalsLost;
import io.gatehouse.cluster.Topics;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.StatementCounter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auth client search from its index in memory: the same rows, order and totals as the SQL search, kept exact by
 * the client change signal. "Another node" writes through the repository alone, as a commit elsewhere looks to this
 * node until its signal arrives. Runs on H2 here and on PostgreSQL in the subclass.
 */
@GatehouseIntegrationTest
class AuthClientSearchIntegrationTests {

	@Autowired
	AuthClientService service;

	@Autowired
	JdbcAuthClientRepository repository;

	@Autowired
	ChangeSignals signals;

	@Autowired
	ApplicationEventPublisher events;

	@Autowired
	JdbcClient jdbc;

	String tag;

	@BeforeEach
	void tag() {
		tag = "srch-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/** How this node hears of a commit on another node; on H2, a single node, the local event is all there is. */
	void signalFromAnotherNode(String clientId) {
		signals.publish(Topics.CLIENT, clientId);
	}

	@Test
	void searchWhenIndexedThenSameRowsOrderAndTotalsAsTheDatabaseQuery() {
		List<String> names = List.of("b", "B-2", "a_c", "a c", "a-c", "ac", "A", "Ä", "z 100%", "Zeta", "m\\n",
				"mid");
		List<String> ids = new ArrayList<>();
		for (String name : names) {
			ids.add(create(tag + " " + name, List.of("https://" + name.length() + ".Example.com/cb")));
		}
		// equal creation times, so the id decides the order among them
		OffsetDateTime same = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
		for (String id : ids.subList(0, 5)) {
			jdbc.sql("update auth_client set created_at = :at, version = version + 1 where id = :id")
				.param("at", same).param("id", id).update();
			signalFromAnotherNode(id);
		}
		PageQuery byCreation = new PageQuery(1, 100, tag, "created_at", false);
		awaitIndexed(() -> service.page(byCreation).rows().equals(repository.page(byCreation).rows()));

		List<String> filters = List.of(tag, tag.toUpperCase(Locale.ROOT), tag + " a", "_c", "a c", "%", "0%", "\\n",
				"5.EXAMPLE", ids.get(3).substring(4, 20), "https://1.example", "no-such-" + tag);
		for (String filter : filters) {
			for (String order : List.of("name", "created_at")) {
				for (boolean descending : List.of(false, true)) {
					for (int perPage : List.of(1, 5, 100)) {
						for (int page = 1; page <= 13 / perPage + 1; page += perPage == 1 ? 4 : 1) {
							PageQuery query = new PageQuery(page, perPage, filter, order, descending);
							Page<AuthClient> indexed = service.page(query);
							Page<AuthClient> scanned = repository.page(query);
							String as = filter + " " + order + (descending ? " desc" : "") + " page " + page + "/"
									+ perPage;
							assertThat(indexed.total()).as(as).isEqualTo(scanned.total());
							assertThat(indexed.rows()).as(as).isEqualTo(scanned.rows());
						}
					}
				}
			}
		}
		assertThat(service.page(new PageQuery(1, 100, tag, "name", false)).total()).isEqualTo(names.size());
	}

	@Test
	void searchWhenIndexedThenNoContainsScanOfTheTable() throws Exception {
		create(tag + " scanned", List.of());
		search(tag, "name", false, 1, 10);

		List<String> statements = StatementCounter.statementsOf(() -> {
			assertThat(search(tag, "name", false, 1, 10).total()).isEqualTo(1);
		});
		assertThat(String.join("\n", statements).toLowerCase(Locale.ROOT)).doesNotContain(" like ");
	}

	@Test
	void searchWhenAnotherNodeCreatesRenamesAndDeletesThenSeenOnceItsSignalArrives() {
		search(tag, "name", false, 1, 10);
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		AuthClient created = new AuthClient(UUID.randomUUID().toString(), tag + " remote", Set.of(GrantType.PASSWORD),
				List.of(), false, 1, now, now);
		repository.insert(created, (tag + " remote").toLowerCase(Locale.ROOT));
		assertThat(search(tag, "name", false, 1, 10).total()).as("before its signal").isZero();
		signalFromAnotherNode(created.id());
		awaitIndexed(() -> search(tag + " remote", "name", false, 1, 10).total() == 1);

		AuthClient renamed = new AuthClient(created.id(), tag + " renamed", created.grants(), List.of(), false, 2,
				now, now);
		assertThat(repository.update(renamed, (tag + " renamed").toLowerCase(Locale.ROOT), 1)).isTrue();
		assertThat(search(tag + " renamed", "name", false, 1, 10).total()).as("before its signal").isZero();
		signalFromAnotherNode(created.id());
		awaitIndexed(() -> search(tag + " renamed", "name", false, 1, 10).total() == 1);
		assertThat(search(tag + " remote", "name", false, 1, 10).total()).isZero();
		assertThat(search(tag, "name", false, 1, 10).rows()).extracting(AuthClient::name)
			.containsExactly(tag + " renamed");

		assertThat(repository.revoke(created.id(), 2, OffsetDateTime.now(ZoneOffset.UTC))).isTrue();
		assertThat(search(tag, "name", false, 1, 10).total()).as("before its signal").isEqualTo(1);
		signalFromAnotherNode(created.id());
		awaitIndexed(() -> search(tag, "name", false, 1, 10).total() == 0);
		assertThat(search(tag, "name", false, 1, 10).rows()).isEmpty();
	}

	@Test
	void searchWhenThisNodeChangesAClientThenItsNextSearchShowsIt() {
		String id = create(tag + " local", List.of());
		assertThat(search(tag, "name", false, 1, 10).rows()).extracting(AuthClient::id).containsExactly(id);
		service.update(id, null, new AuthClientDraft(tag + " moved", Set.of(GrantType.PASSWORD), List.of(), false));
		assertThat(search(tag + " moved", "name", false, 1, 10).rows()).extracting(AuthClient::id)
			.containsExactly(id);
		assertThat(search(tag + " local", "name", false, 1, 10).total()).isZero();
		service.delete(id);
		assertThat(search(tag, "name", false, 1, 10).total()).isZero();
	}

	@Test
	void searchWhenSignalsWereLostThenReloadedWithWhatWasMissed() {
		search(tag, "name", false, 1, 10);
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		AuthClient missed = new AuthClient(UUID.randomUUID().toString(), tag + " missed", Set.of(GrantType.PASSWORD),
				List.of(), false, 1, now, now);
		repository.insert(missed, (tag + " missed").toLowerCase(Locale.ROOT));
		assertThat(search(tag, "name", false, 1, 10).total()).isZero();

		events.publishEvent(new SignalsLost("test"));

		assertThat(search(tag, "name", false, 1, 10).rows()).extracting(AuthClient::id).containsExactly(missed.id());
	}

	@Test
	void searchWhenClientsAreCreatedAndRenamedConcurrentlyThenTheIndexMatchesTheDatabase() throws Exception {
		int writers = 6;
		CyclicBarrier start = new CyclicBarrier(writers + 1);
		ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int w = 0; w < writers; w++) {
				int writer = w;
				done.add(pool.submit(() -> {
					start.await();
					for (int i = 0; i < 5; i++) {
						String id = create(tag + " w" + writer + "-" + i, List.of());
						if (i % 2 == 0) {
							service.update(id, null, new AuthClientDraft(tag + " r" + writer + "-" + i,
									Set.of(GrantType.PASSWORD), List.of(), false));
						}
					}
					return null;
				}));
			}
			done.add(pool.submit(() -> {
				start.await();
				for (int i = 0; i < 20; i++) {
					search(tag, "name", false, 1, 100);
				}
				return null;
			}));
			for (Future<?> future : done) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		awaitIndexed(() -> search(tag, "name", false, 1, 100).total() == writers * 5);
		for (String order : List.of("name", "created_at")) {
			PageQuery query = new PageQuery(1, 100, tag, order, false);
			assertThat(service.page(query).rows()).as(order).isEqualTo(repository.page(query).rows());
		}
		assertThat(search(tag + " r", "name", false, 1, 100).total()).isEqualTo(writers * 3);
	}

	@Test
	void searchWhenManyArriveWhileTheIndexLoadsThenTheyWaitForTheLoadInsteadOfScanningTheTable() throws Exception {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		// enough clients that the load takes long enough for every search to arrive during it
		repository.insertAll(IntStream.range(0, 20_000)
			.mapToObj(i -> new AuthClient(UUID.randomUUID().toString(), tag + " bulk " + i, Set.of(GrantType.PASSWORD),
					List.of(), false, 1, now, now))
			.toList());
		int searches = 8;
		ExecutorService pool = Executors.newFixedThreadPool(searches);
		try {
			events.publishEvent(new SignalsLost("test"));
			CyclicBarrier start = new CyclicBarrier(searches);
			List<Future<List<String>>> done = new ArrayList<>();
			for (int s = 0; s < searches; s++) {
				done.add(pool.submit(() -> {
					start.await();
					return StatementCounter.statementsOf(() -> assertThat(
							search(tag + " bulk 12345", "name", false, 1, 10).rows()).extracting(AuthClient::name)
						.containsExactly(tag + " bulk 12345"));
				}));
			}
			List<String> statements = new ArrayList<>();
			for (Future<List<String>> future : done) {
				statements.addAll(future.get(60, TimeUnit.SECONDS));
			}
			assertThat(statements).as("statements of the searches").isNotEmpty();
			assertThat(statements).as("contains-scans of the table")
				.noneMatch(sql -> sql.toLowerCase(Locale.ROOT).contains(" like "));
		}
		finally {
			pool.shutdownNow();
			jdbc.sql("delete from auth_client where name_key like :prefix")
				.param("prefix", (tag + " bulk ").toLowerCase(Locale.ROOT) + "%")
				.update();
			events.publishEvent(new SignalsLost("test"));
		}
	}

	private Page<AuthClient> search(String filter, String order, boolean descending, int page, int perPage) {
		return service.page(new PageQuery(page, perPage, filter, order, descending));
	}

	private String create(String name, List<String> redirects) {
		Set<GrantType> grants = redirects.isEmpty() ? Set.of(GrantType.PASSWORD)
				: Set.of(GrantType.AUTHORIZATION_CODE);
		return service.create(new AuthClientDraft(name, grants, redirects, false)).client().id();
	}

	/** Waits for a signal to be applied: at once on H2; within the staleness bound (and some slack) elsewhere. */
	private static void awaitIndexed(BooleanSupplier condition) {
		long deadline = System.nanoTime() + ChangeSignals.STALENESS_BOUND.multipliedBy(5).toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("applied within the bound").isLessThan(deadline);
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

}
