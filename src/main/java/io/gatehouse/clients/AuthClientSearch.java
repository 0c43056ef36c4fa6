package io.gatehouse.clients;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
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
 * them) and the creation time, in both list orders; a search walks it, counts the matches and picks the page's ids,
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
		long total = current.search(text, query, databaseOrders, ids);
		List<AuthClient> rows = databaseOrders ? repository.pageAmong(query, ids) : repository.findLiveInOrder(ids);
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
	 * The clients by id (deleted ones too, with their last version), and the live ones in the two list orders. Writes
	 * take the lock; searches walk the sets without it (their iterators are weakly consistent, as a search that runs
	 * beside a change may or may not see it).
	 */
	private static final class Index {

		private static final Comparator<Entry> BY_NAME = Comparator.comparing(Entry::nameKey)
			.thenComparing(Entry::id);

		private static final Comparator<Entry> BY_CREATED = Comparator.comparing(Entry::createdAt)
			.thenComparing(Entry::id);

		private final Map<String, Entry> byId = new ConcurrentHashMap<>();

		private final NavigableSet<Entry> byName = new ConcurrentSkipListSet<>(BY_NAME);

		private final NavigableSet<Entry> byCreated = new ConcurrentSkipListSet<>(BY_CREATED);

		private volatile boolean ready;

		synchronized void apply(JdbcAuthClientRepository.SearchRow row) {
			Entry old = byId.get(row.id());
			if (old != null && old.version() >= row.version()) {
				return;
			}
			boolean live = !row.revoked() && row.nameKey() != null;
			Entry entry = live ? new Entry(row.id(), row.nameKey(), row.createdAt(),
					row.nameKey() + "\n" + row.idKey() + "\n" + row.redirectKey(), row.version())
					: new Entry(row.id(), "", row.createdAt(), null, row.version());
			replace(old, entry);
		}

		/** The row is gone from the database (never in use: deleted clients stay as revoked rows). */
		synchronized void remove(String id) {
			replace(byId.get(id), new Entry(id, "", Instant.EPOCH, null, Integer.MAX_VALUE));
		}

		private void replace(@Nullable Entry old, Entry entry) {
			if (old != null && old.text() != null) {
				byName.remove(old);
				byCreated.remove(old);
			}
			byId.put(entry.id(), entry);
			if (entry.text() != null) {
				byName.add(entry);
				byCreated.add(entry);
			}
		}

		/**
		 * Counts the live clients whose text contains {@code text}; adds to {@code ids} the query's page of them in
		 * its order, or with {@code all} every one of them.
		 */
		long search(String text, PageQuery query, boolean all, List<String> ids) {
			NavigableSet<Entry> order = query.orderBy().equals("created_at") ? byCreated : byName;
			long offset = query.offset();
			int limit = query.perPage();
			long total = 0;
			for (Entry entry : query.descending() ? order.descendingSet() : order) {
				// no match spans two fields: a filter has no control characters, the fields are joined by '\n'
				if (entry.text().indexOf(text) >= 0) {
					if (all || total >= offset && ids.size() < limit) {
						ids.add(entry.id());
					}
					total++;
				}
			}
			return total;
		}

	}

	/** {@code text}: name key, lower-cased id and redirect URLs joined by new lines; null for a deleted client. */
	private record Entry(String id, String nameKey, Instant createdAt, @Nullable String text, int version) {
	}

}
