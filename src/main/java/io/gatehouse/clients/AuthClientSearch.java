package io.gatehouse.clients;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.gatehouse.api.Page;
import io.gatehouse.api.PageQuery;
import io.gatehouse.cluster.ChangeSignal;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.SignalsLost;
import io.gatehouse.cluster.Topics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The auth client search (a contains-match on name, client id and redirect URLs) from an index in memory, because a
 * {@code LIKE '%text%'} reads the whole table: 100,000 clients took seconds per search. The index holds what the
 * SQL search compares (the name key, {@code lower(id)}, {@code lower(redirect_uris)}, as the database lower-cases
 * them) and the creation time; a search walks it, counts the matches and picks the page's ids in the list's order,
 * then one primary-key query reads those clients.
 * <ul>
 * <li><b>Exact on every node.</b> Each {@link Topics#CLIENT} signal re-reads that one client (on the committing node
 * before its request is answered, elsewhere within {@link ChangeSignals#STALENESS_BOUND}); a read older than the
 * entry (a lower {@code version}) is ignored, so signals handled out of order leave the newest state. When signals
 * may have been lost the index is dropped, and while they are not trusted, or while the index loads (on the first
 * search after start or a drop: one read of the table), searches run the SQL query as before.</li>
 * <li><b>The same order.</b> H2 compares names as Java does (UTF-16 code units), so on H2 the index orders and pages.
 * PostgreSQL orders by its collation, which Java does not reproduce: there the index gives the matching ids and the
 * database orders and pages those rows.</li>
 * </ul>
 * A list without search text needs no index: it walks the database's list index (see
 * {@link JdbcAuthClientRepository}).
 */
@Component
class AuthClientSearch {

	private static final Logger log = LoggerFactory.getLogger(AuthClientSearch.class);

	private final JdbcAuthClientRepository repository;

	private final ChangeSignals signals;

	private final boolean databaseOrders;

	private final AtomicBoolean loading = new AtomicBoolean();

	/** Null until the first search loads it, and after signals may have been lost. */
	private volatile @Nullable Index index;

	AuthClientSearch(JdbcAuthClientRepository repository, ChangeSignals signals, Environment environment) {
		this.repository = repository;
		this.signals = signals;
		this.databaseOrders = environment.getProperty("spring.datasource.url", "").startsWith("jdbc:postgresql:");
	}

	Page<AuthClient> page(PageQuery query) {
		Index current = query.filter().isEmpty() || !signals.trusted() ? null : ready();
		if (current == null) {
			return repository.page(query);
		}
		// the same lower-casing as the SQL search's LikePatterns.contains
		String text = query.filter().toLowerCase(Locale.ROOT);
		List<String> ids = new ArrayList<>();
		// the index knows names and creation times; the last use changes with every token, so the database orders by it
		boolean databaseOrdersThis = databaseOrders || query.orderBy().equals("last_used_at");
		long total = current.search(text, query, databaseOrdersThis, ids);
		List<AuthClient> rows = databaseOrdersThis ? repository.pageAmong(query, ids)
				: repository.findLiveInOrder(ids);
		return new Page<>(rows, total, query.page(), query.perPage());
	}

	/** The loaded index, loading it if no other search is doing so; null while it is not ready. */
	private @Nullable Index ready() {
		Index current = index;
		if (current != null && current.ready) {
			return current;
		}
		if (!loading.compareAndSet(false, true)) {
			return null;
		}
		try {
			Index fresh = new Index();
			// published before the read, so a change committed during the read is applied by its signal
			index = fresh;
			repository.forEachSearchRow(null, fresh::apply);
			if (index != fresh || !signals.trusted()) {
				return null;
			}
			fresh.ready = true;
			return fresh;
		}
		catch (RuntimeException ex) {
			index = null;
			throw ex;
		}
		finally {
			loading.set(false);
		}
	}

	@EventListener
	void clientChanged(ChangeSignal signal) {
		Index current = index;
		if (current == null || !signal.is(Topics.CLIENT)) {
			return;
		}
		try {
			boolean[] found = { false };
			repository.forEachSearchRow(signal.key(), row -> {
				found[0] = true;
				current.apply(row);
			});
			if (!found[0]) {
				current.remove(signal.key());
			}
		}
		catch (RuntimeException ex) {
			// the change is committed and must not fail its request; the next search reloads instead
			index = null;
			log.warn("Dropped the auth client search index: re-reading client {} failed: {}", signal.key(),
					ex.toString());
		}
	}

	@EventListener
	void signalsLost(SignalsLost lost) {
		index = null;
	}

	/**
	 * The clients by id, deleted ones too (with their last version), in one concurrent map: about 250 bytes per
	 * client, so 100,000 clients take about 25 MB of heap. A search walks it without a lock (its iteration is weakly
	 * consistent: a search that runs beside a change may or may not see it) and keeps the best entries of its page in
	 * a bounded heap.
	 */
	private static final class Index {

		/** The list's name order, {@code name_key} compared as Java (and H2) compares strings; names are unique. */
		private static final Comparator<Entry> BY_NAME = Index::compareNames;

		private static final Comparator<Entry> BY_CREATED = Comparator.comparingLong(Entry::createdAt)
			.thenComparing(Entry::id);

		private final Map<String, Entry> byId = new ConcurrentHashMap<>();

		private volatile boolean ready;

		void apply(JdbcAuthClientRepository.SearchRow row) {
			Entry entry;
			if (row.revoked() || row.nameKey() == null) {
				entry = new Entry(row.id(), null, null, 0, 0, row.version());
			}
			else {
				Instant created = row.createdAt();
				entry = new Entry(row.id(), row.nameKey() + "\n" + row.redirectKey(),
						row.idKey().equals(row.id()) ? null : row.idKey(), row.nameKey().length(),
						created.getEpochSecond() * 1_000_000_000L + created.getNano(), row.version());
			}
			// a read older than what the index holds (signals handled out of order) changes nothing
			byId.merge(row.id(), entry, (held, read) -> held.version() >= read.version() ? held : read);
		}

		/** The row is gone from the database (never in use: deleted clients stay as revoked rows). */
		void remove(String id) {
			byId.put(id, new Entry(id, null, null, 0, 0, Integer.MAX_VALUE));
		}

		/**
		 * Counts the live clients whose name key, lower-cased id or redirect URLs contain {@code text}; adds to
		 * {@code ids} the query's page of them in its order, or with {@code all} every one of them, unordered.
		 */
		long search(String text, PageQuery query, boolean all, List<String> ids) {
			Comparator<Entry> order = query.orderBy().equals("created_at") ? BY_CREATED : BY_NAME;
			if (query.descending()) {
				order = order.reversed();
			}
			long wanted = query.offset() + query.perPage();
			// the heap's head is the worst of the best entries so far
			PriorityQueue<Entry> best = new PriorityQueue<>(order.reversed());
			long total = 0;
			for (Entry entry : byId.values()) {
				if (!entry.matches(text)) {
					continue;
				}
				total++;
				if (all) {
					ids.add(entry.id());
				}
				else if (best.size() < wanted) {
					best.add(entry);
				}
				else if (order.compare(entry, best.peek()) < 0) {
					best.poll();
					best.add(entry);
				}
			}
			if (!all) {
				List<Entry> page = new ArrayList<>(best);
				page.sort(order);
				page.stream().skip(query.offset()).map(Entry::id).forEach(ids::add);
			}
			return total;
		}

		private static int compareNames(Entry a, Entry b) {
			String left = a.text();
			String right = b.text();
			int common = Math.min(a.nameLength(), b.nameLength());
			for (int i = 0; i < common; i++) {
				char x = left.charAt(i);
				char y = right.charAt(i);
				if (x != y) {
					return x - y;
				}
			}
			int byLength = Integer.compare(a.nameLength(), b.nameLength());
			return byLength != 0 ? byLength : a.id().compareTo(b.id());
		}

	}

	/**
	 * A client as the search sees it. {@code text}: the name key and the lower-cased redirect URLs joined by new
	 * lines, null for a deleted client; {@code idKey}: the lower-cased id, null when it is the id itself;
	 * {@code createdAt}: nanoseconds since the epoch.
	 */
	private record Entry(String id, @Nullable String text, @Nullable String idKey, int nameLength, long createdAt,
			int version) {

		boolean matches(String search) {
			// no match spans two fields: a filter has no control characters, the fields are joined by '\n'
			return text != null && (text.indexOf(search) >= 0 || (idKey == null ? id : idKey).indexOf(search) >= 0);
		}

	}

}
