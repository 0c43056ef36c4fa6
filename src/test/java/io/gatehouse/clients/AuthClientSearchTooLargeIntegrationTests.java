package io.gatehouse.clients;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import io.gatehouse.api.PageQuery;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.StatementCounter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A catalogue whose search index does not fit in the heap it may take: searches still answer, from the database,
 * and do not read the whole table again on every search. (With the launcher's 80 MB heap, 100,000 clients ran the
 * load out of memory and the search answered 500.)
 */
@GatehouseIntegrationTest
@TestPropertySource(properties = "gatehouse.clients.search-index-max-bytes=100000")
class AuthClientSearchTooLargeIntegrationTests {

	@Autowired
	AuthClientService service;

	@Autowired
	JdbcAuthClientRepository repository;

	@Autowired
	JdbcClient jdbc;

	@Test
	void searchWhenTheIndexOutgrowsItsHeapThenTheDatabaseAnswersAndTheTableIsNotReloadedEachTime() throws Exception {
		String tag = "big-" + UUID.randomUUID().toString().substring(0, 8);
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		repository.insertAll(IntStream.range(0, 3_000)
			.mapToObj(i -> new AuthClient(UUID.randomUUID().toString(), tag + " many " + i, Set.of(GrantType.PASSWORD),
					List.of("https://app" + i + ".example.com/callback"), false, 1, now, now))
			.toList());
		try {
			for (int attempt = 0; attempt < 2; attempt++) {
				List<String> statements = StatementCounter.statementsOf(() -> {
					var page = service.page(new PageQuery(1, 10, tag + " many 2999", "name", false));
					assertThat(page.rows()).extracting(AuthClient::name).containsExactly(tag + " many 2999");
					assertThat(page.total()).isEqualTo(1);
				});
				assertThat(statements).as("the database's contains-search")
					.anyMatch(sql -> sql.toLowerCase(Locale.ROOT).contains(" like "));
				if (attempt == 1) {
					assertThat(statements).as("a second read of the whole table for the index")
						.noneMatch(sql -> sql.toLowerCase(Locale.ROOT).contains("redirect_key"));
				}
			}
		}
		finally {
			jdbc.sql("delete from auth_client where name_key like :prefix")
				.param("prefix", (tag + " many ").toLowerCase(Locale.ROOT) + "%")
				.update();
		}
	}

	@Test
	void defaultBudgetLeavesTheRestOfTheServerItsHeap() {
		long mib = 1024L * 1024;
		// the launcher's heap: a quarter, about 36,000 clients
		assertThat(AuthClientSearch.defaultMaxBytes(80 * mib)).isEqualTo(20 * mib);
		// the README's advice for 100,000 clients (55 MB more): room for them
		assertThat(AuthClientSearch.defaultMaxBytes(140 * mib)).isEqualTo(76 * mib);
		assertThat(AuthClientSearch.defaultMaxBytes(6144 * mib)).isEqualTo(6080 * mib);
	}

}
