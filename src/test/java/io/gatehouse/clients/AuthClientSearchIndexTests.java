package io.gatehouse.clients;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.gatehouse.api.PageQuery;
import io.gatehouse.support.AtOnce;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trigram index on its own: the same matches, totals and pages as a walk of every client (what the search did
 * before it), a cost that follows the matches, changes that a concurrent search sees whole, and its size.
 */
class AuthClientSearchIndexTests {

	private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

	@Test
	void searchWhenRandomCatalogueThenTheSameAsAWalkOfEveryClient() {
		Random random = new Random(8);
		AuthClientSearchIndex index = new AuthClientSearchIndex();
		Map<String, JdbcAuthClientRepository.SearchRow> rows = new HashMap<>();
		// a small alphabet (with a non-Latin-1 letter and an upper-case id), so that texts share many trigrams
		String alphabet = "abc-. äΩ5";
		for (int i = 0; i < 1500; i++) {
			String id = (i % 7 == 0 ? "ID-" : "id-") + i;
			JdbcAuthClientRepository.SearchRow row = row(id, randomText(random, alphabet, 1, 12) + " " + i,
					"https://" + randomText(random, alphabet, 0, 6) + ".example/cb", i % 50, 1, i % 23 == 0);
			rows.put(id, row);
			index.apply(row);
		}
		// renames and deletions after the load: the old trigrams must be gone, the new ones there
		for (int i = 0; i < 1500; i += 5) {
			String id = (i % 7 == 0 ? "ID-" : "id-") + i;
			JdbcAuthClientRepository.SearchRow row = row(id, randomText(random, alphabet, 1, 12) + " r" + i,
					"https://" + randomText(random, alphabet, 0, 6) + ".example/cb", i % 50, 2, i % 11 == 0);
			rows.put(id, row);
			index.apply(row);
		}
		List<String> texts = new ArrayList<>(List.of("a", "ab", "id-1", "id-", "-1", "5", "ä", "äΩ", "xyz", "example",
				"r1", "r10", ".example/cb", "id-14"));
		for (int i = 0; i < 300; i++) {
			texts.add(randomText(random, alphabet, 1, 5));
		}
		for (String text : texts) {
			for (String order : List.of("name", "created_at")) {
				for (int page : List.of(1, 3)) {
					PageQuery query = new PageQuery(page, 7, text, order, page == 3);
					List<String> ids = new ArrayList<>();
					long total = index.search(text, query, false, ids);
					List<JdbcAuthClientRepository.SearchRow> matches = walk(rows, text);
					String as = "'" + text + "' " + order + " page " + page;
					assertThat(total).as(as).isEqualTo(matches.size());
					Comparator<JdbcAuthClientRepository.SearchRow> sort = order.equals("name")
							? Comparator.comparing(JdbcAuthClientRepository.SearchRow::nameKey)
								.thenComparing(JdbcAuthClientRepository.SearchRow::id)
							: Comparator.comparing(JdbcAuthClientRepository.SearchRow::createdAt)
								.thenComparing(JdbcAuthClientRepository.SearchRow::id);
					List<String> expected = matches.stream()
						.sorted(page == 3 ? sort.reversed() : sort)
						.skip(query.offset())
						.limit(7)
						.map(JdbcAuthClientRepository.SearchRow::id)
						.toList();
					assertThat(ids).as(as).isEqualTo(expected);
					List<String> all = new ArrayList<>();
					index.search(text, query, true, all);
					assertThat(all).as(as + ", every id")
						.containsExactlyInAnyOrderElementsOf(matches.stream().map(r -> r.id()).toList());
				}
			}
		}
	}

	@Test
	void searchWhenAskedAgainBetweenChangesThenTheSameAsAWalkOfEveryClient() {
		Random random = new Random(80);
		AuthClientSearchIndex index = new AuthClientSearchIndex();
		Map<String, JdbcAuthClientRepository.SearchRow> rows = new HashMap<>();
		String alphabet = "abc-5";
		int[] versions = new int[400];
		for (int i = 0; i < versions.length; i++) {
			versions[i] = 1;
			JdbcAuthClientRepository.SearchRow row = row("id-" + i, randomText(random, alphabet, 1, 8) + " " + i, "",
					i % 30, 1, false);
			rows.put(row.id(), row);
			index.apply(row);
		}
		// few enough searches (three texts, four orders each) that every one is remembered from round to round
		List<String> texts = List.of("ab", "c-5", "b");
		for (int round = 0; round < 60; round++) {
			// a change between some rounds: a rename, a deletion, a new client, or a stale read that changes nothing
			int i = random.nextInt(versions.length);
			switch (round % 4) {
				case 0 -> {
					String name = randomText(random, alphabet, 1, 8) + " r" + i;
					JdbcAuthClientRepository.SearchRow row = row("id-" + i, name, "", i % 30, ++versions[i],
							random.nextInt(5) == 0);
					rows.put(row.id(), row);
					index.apply(row);
				}
				case 1 -> index.apply(row("id-" + i, "stale " + i, "", 0, versions[i] - 1, false));
				case 2 -> {
					JdbcAuthClientRepository.SearchRow row = row("new-" + round, "ab new " + round, "", round, 1,
							false);
					rows.put(row.id(), row);
					index.apply(row);
				}
				default -> {
				}
			}
			for (String text : texts) {
				for (int page = 1; page <= 4; page++) {
					PageQuery query = new PageQuery(page, 9, text, page == 3 ? "created_at" : "name", page == 4);
					List<String> ids = new ArrayList<>();
					long total = index.search(text, query, false, ids);
					List<JdbcAuthClientRepository.SearchRow> matches = walk(rows, text);
					String as = "round " + round + " '" + text + "' page " + page;
					assertThat(total).as(as).isEqualTo(matches.size());
					assertThat(ids).as(as).isEqualTo(expectedPage(matches, query));
					List<String> all = new ArrayList<>();
					assertThat(index.search(text, query, true, all)).as(as).isEqualTo(matches.size());
					assertThat(all).as(as + ", every id")
						.containsExactlyInAnyOrderElementsOf(matches.stream().map(r -> r.id()).toList());
				}
			}
		}
	}

	@Test
	void searchWhenAskedAgainThenAnsweredFromWhatItFoundUntilAClientChanges() {
		AuthClientSearchIndex index = benchLike(10_000);
		PageQuery first = new PageQuery(1, 25, "bench-5", "name", false);
		PageQuery second = new PageQuery(2, 25, "bench-5", "name", false);
		PageQuery fifth = new PageQuery(5, 25, "bench-5", "name", false);
		assertThat(index.remembers("bench-5", first, false)).isFalse();
		List<String> ids = new ArrayList<>();
		assertThat(index.search("bench-5", first, false, ids)).isEqualTo(1111);
		assertThat(index.remembers("bench-5", first, false)).isTrue();
		// the next page comes with the first; a page further on needs another pass over the matches
		assertThat(index.remembers("bench-5", second, false)).isTrue();
		assertThat(index.remembers("bench-5", fifth, false)).isFalse();
		assertThat(index.remembers("bench-5", new PageQuery(1, 25, "bench-5", "name", true), false)).isFalse();
		List<String> again = new ArrayList<>();
		assertThat(index.search("bench-5", first, false, again)).isEqualTo(1111);
		assertThat(again).isEqualTo(ids);
		// a read that is not newer changes nothing, and forgets nothing
		index.apply(row("bench-5", "bench client 5", "https://app5.example.com/callback", 5, 1, false));
		assertThat(index.remembers("bench-5", first, false)).isTrue();
		// a new client that sorts first: the next search sees it
		index.apply(row("bench-5-new", "a bench client", "", 0, 1, false));
		assertThat(index.remembers("bench-5", first, false)).isFalse();
		List<String> after = new ArrayList<>();
		assertThat(index.search("bench-5", first, false, after)).isEqualTo(1112);
		assertThat(after).startsWith("bench-5-new", "bench-5", "bench-50").hasSize(25);
		index.remove("bench-5-new");
		assertThat(index.search("bench-5", first, false, new ArrayList<>())).isEqualTo(1111);
	}

	@Test
	void searchWhenTheTextIsLongerThanATrigramThenOnlyTheMatchesOfItsRarestTrigramAreChecked() {
		AuthClientSearchIndex index = benchLike(10_000);
		List<String> ids = new ArrayList<>();
		// bench-5, bench-50..59, bench-500..599, bench-5000..5999: 1,111 of 10,000, as in bench/compare.sh
		assertThat(index.search("bench-5", new PageQuery(1, 25, "bench-5", "name", false), false, ids))
			.isEqualTo(1111);
		assertThat(ids).hasSize(25).startsWith("bench-5", "bench-50", "bench-500", "bench-5000", "bench-5001");
		assertThat(index.candidateCount("bench-5")).isEqualTo(1111);
		// app77.example has every trigram of app7777.example too: a candidate, then no match
		assertThat(index.candidateCount("app7777.example")).isEqualTo(2);
		assertThat(index.search("app7777.example", new PageQuery(1, 25, "app7777.example", "name", false), false,
				new ArrayList<>())).isOne();
		assertThat(index.candidateCount("no-such")).isZero();
		// too short for a trigram: every client is checked
		assertThat(index.candidateCount("h5")).isEqualTo(10_000);
	}

	@Test
	void sizeWhenBenchLikeClientsThenWithinTheBytesPerClientTheReadmeStates() {
		AuthClientSearchIndex index = benchLike(20_000);
		long perClient = index.estimatedBytes() / index.size();
		System.out.println("search index: " + perClient + " bytes per client");
		// README: about 700 bytes of heap per client ("Bench client N", https://appN.example.com/callback)
		assertThat(perClient).isBetween(300L, 800L);
	}

	@Test
	void searchWhileClientsAreRenamedThenEveryClientIsSeenOnceWithOneOfItsNames() throws Exception {
		int clients = 2000;
		AuthClientSearchIndex index = new AuthClientSearchIndex();
		for (int i = 0; i < clients; i++) {
			index.apply(row("c-" + i, "client alpha " + i, "https://a.example/cb", i, 1, false));
		}
		AtomicBoolean writing = new AtomicBoolean(true);
		AtomicInteger started = new AtomicInteger();
		int[] version = { 1 };
		List<long[]> seen = AtOnce.run(4, () -> {
			if (started.getAndIncrement() == 0) {
				// one writer: renames every client back and forth (alpha, omega), versions rising
				for (int round = 0; round < 6; round++) {
					version[0]++;
					String word = round % 2 == 0 ? "omega" : "alpha";
					for (int i = 0; i < clients; i++) {
						index.apply(row("c-" + i, "client " + word + " " + i, "https://a.example/cb", i, version[0],
								false));
					}
				}
				writing.set(false);
				return new long[0];
			}
			long searches = 0;
			long wrong = 0;
			while (writing.get() || searches < 20) {
				List<String> ids = new ArrayList<>();
				long total = index.search("client ", new PageQuery(1, 10, "client ", "name", false), true, ids);
				long distinct = ids.stream().distinct().count();
				if (total != clients || distinct != clients) {
					wrong++;
				}
				searches++;
			}
			return new long[] { searches, wrong };
		});
		for (long[] reader : seen) {
			if (reader.length > 0) {
				assertThat(reader[1]).as("searches that lost or doubled a client, of " + reader[0]).isZero();
			}
		}
		// the last round (the sixth) named every client alpha again
		assertThat(index.search("alpha", new PageQuery(1, 10, "alpha", "name", false), false, new ArrayList<>()))
			.isEqualTo(clients);
		assertThat(index.candidateCount("omega")).isZero();
	}

	@Test
	void applyWhenAnOlderReadArrivesAfterANewerOneThenTheNewerStays() {
		AuthClientSearchIndex index = new AuthClientSearchIndex();
		index.apply(row("c-1", "newer name", "", 0, 3, false));
		index.apply(row("c-1", "older name", "", 0, 2, false));
		assertThat(index.search("newer", new PageQuery(1, 10, "newer", "name", false), false, new ArrayList<>()))
			.isOne();
		assertThat(index.candidateCount("older")).isZero();
		index.remove("c-1");
		assertThat(index.search("name", new PageQuery(1, 10, "name", "name", false), false, new ArrayList<>()))
			.isZero();
	}

	private static List<String> expectedPage(List<JdbcAuthClientRepository.SearchRow> matches, PageQuery query) {
		Comparator<JdbcAuthClientRepository.SearchRow> sort = query.orderBy().equals("name")
				? Comparator.comparing(JdbcAuthClientRepository.SearchRow::nameKey)
					.thenComparing(JdbcAuthClientRepository.SearchRow::id)
				: Comparator.comparing(JdbcAuthClientRepository.SearchRow::createdAt)
					.thenComparing(JdbcAuthClientRepository.SearchRow::id);
		return matches.stream()
			.sorted(query.descending() ? sort.reversed() : sort)
			.skip(query.offset())
			.limit(query.perPage())
			.map(JdbcAuthClientRepository.SearchRow::id)
			.toList();
	}

	private static AuthClientSearchIndex benchLike(int clients) {
		AuthClientSearchIndex index = new AuthClientSearchIndex();
		for (int n = 1; n <= clients; n++) {
			index.apply(row("bench-" + n, "bench client " + n, "https://app" + n + ".example.com/callback", n, 1,
					false));
		}
		return index;
	}

	private static List<JdbcAuthClientRepository.SearchRow> walk(Map<String, JdbcAuthClientRepository.SearchRow> rows,
			String text) {
		return rows.values()
			.stream()
			.filter(r -> !r.revoked() && (r.idKey().contains(text) || r.nameKey().contains(text)
					|| r.redirectKey().contains(text)))
			.toList();
	}

	private static JdbcAuthClientRepository.SearchRow row(String id, String nameKey, String redirectKey, int minute,
			int version, boolean revoked) {
		return new JdbcAuthClientRepository.SearchRow(id, nameKey, id.toLowerCase(Locale.ROOT), redirectKey,
				EPOCH.plusSeconds(60L * minute), version, revoked);
	}

	private static String randomText(Random random, String alphabet, int min, int max) {
		int length = min + random.nextInt(max - min + 1);
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			text.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return text.toString();
	}

}
