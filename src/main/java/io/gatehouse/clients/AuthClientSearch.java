package io.gatehouse.clients;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

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
 * them) and the creation time, with a trigram index over that text ({@link AuthClientSearchIndex}); a search checks
 * the candidates the trigrams leave, counts the matches and picks the page's ids in the list's order, then one
 * primary-key query reads those clients.
 * <ul>
 * <li><b>Exact on every node.</b> Each {@link Topics#CLIENT} signal re-reads that one client (on the committing node
 * before its request is answered, elsewhere within {@link ChangeSignals#STALENESS_BOUND}); a read older than the
 * entry (a lower {@code version}) is ignored, so signals handled out of order leave the newest state. When signals
 * may have been lost the index is dropped, and while they are not trusted, searches run the SQL query as before.</li>
 * <li><b>One load at a time.</b> The first search after start or a drop reads the table once (about a second for
 * 100,000 clients); searches that arrive meanwhile wait for that load, up to {@link #LOAD_WAIT}, rather than each
 * running the {@code LIKE} scan: 32 concurrent scans of 100,000 clients held every pooled connection for seconds,
 * and requests that found none were refused with 503 for the first 24 s after a start.</li>
 * <li><b>Within its share of the heap.</b> A load that would take more than {@link #defaultMaxBytes} (or
 * {@code gatehouse.clients.search-index-max-bytes}) stops, and searches read the database for
 * {@link #RETRY_AFTER_TOO_LARGE}: with the launcher's 80 MB heap, 100,000 clients ran the load out of memory and
 * the search answered 500.</li>
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

	/**
	 * How long a search waits for another search's load of the index before it runs the SQL query itself: well
	 * within the pool's 30 s wait for a connection, and many times the load's second for 100,000 clients.
	 */
	static final Duration LOAD_WAIT = Duration.ofSeconds(20);

	/** How long searches read the database after the index did not fit in its share of the heap. */
	static final Duration RETRY_AFTER_TOO_LARGE = Duration.ofMinutes(10);

	/** The load checks the index's size against its budget after every this many clients. */
	private static final int SIZE_CHECK_EVERY = 1024;

	private final JdbcAuthClientRepository repository;

	private final ChangeSignals signals;

	private final boolean databaseOrders;

	/** The load in progress, completed with the loaded index (null when it could not be used); null when none is. */
	private final AtomicReference<@Nullable CompletableFuture<@Nullable AuthClientSearchIndex>> loading =
			new AtomicReference<>();

	/** Null until the first search loads it, and after signals may have been lost. */
	private volatile @Nullable AuthClientSearchIndex index;

	private final long maxBytes;

	/** {@link System#nanoTime()} before which searches read the database: the index did not fit; 0 when none. */
	private volatile long tooLargeUntil;

	AuthClientSearch(JdbcAuthClientRepository repository, ChangeSignals signals, Environment environment) {
		this.repository = repository;
		this.signals = signals;
		this.databaseOrders = environment.getProperty("spring.datasource.url", "").startsWith("jdbc:postgresql:");
		this.maxBytes = environment.getProperty("gatehouse.clients.search-index-max-bytes", Long.class,
				defaultMaxBytes(Runtime.getRuntime().maxMemory()));
	}

	/**
	 * The heap the index may take: what is left above the 64 MiB the rest of the server needs under load (the
	 * launcher's 80 MB heap holds 42 MB live after every OAuth scenario), and at least a quarter of the heap.
	 */
	static long defaultMaxBytes(long maxHeap) {
		return Math.max(maxHeap / 4, maxHeap - 64L * 1024 * 1024);
	}

	Page<AuthClient> page(PageQuery query) {
		AuthClientSearchIndex current = query.filter().isEmpty() || !signals.trusted() ? null : ready();
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

	/**
	 * The loaded index: loaded by this search if none is loading, else the one another search is loading once it
	 * has; null when it cannot be used (signals lost during the load, the load failed or took over
	 * {@link #LOAD_WAIT}).
	 */
	private @Nullable AuthClientSearchIndex ready() {
		AuthClientSearchIndex current = index;
		if (current != null && current.ready()) {
			return current;
		}
		long until = tooLargeUntil;
		if (until != 0 && System.nanoTime() - until < 0) {
			return null;
		}
		CompletableFuture<@Nullable AuthClientSearchIndex> mine = new CompletableFuture<>();
		CompletableFuture<@Nullable AuthClientSearchIndex> theirs = loading.compareAndExchange(null, mine);
		if (theirs != null) {
			return awaitLoad(theirs);
		}
		try {
			AuthClientSearchIndex loaded = load();
			mine.complete(loaded);
			return loaded;
		}
		catch (IndexTooLarge | OutOfMemoryError ex) {
			// dropping the half-built index frees what it took; searches read the database meanwhile
			index = null;
			mine.complete(null);
			tooLargeUntil = System.nanoTime() + RETRY_AFTER_TOO_LARGE.toNanos();
			log.warn("The auth client search index does not fit in the heap ({}); searches read the database for the"
					+ " next {} minutes. Raise -Xmx by about 550 bytes per client, or set"
					+ " gatehouse.clients.search-index-max-bytes, to search from memory", describe(ex),
					RETRY_AFTER_TOO_LARGE.toMinutes());
			return null;
		}
		catch (RuntimeException ex) {
			index = null;
			mine.complete(null);
			throw ex;
		}
		finally {
			loading.set(null);
		}
	}

	private @Nullable AuthClientSearchIndex load() {
		AuthClientSearchIndex fresh = new AuthClientSearchIndex();
		// published before the read, so a change committed during the read is applied by its signal
		index = fresh;
		int[] rows = { 0 };
		repository.forEachSearchRow(null, row -> {
			fresh.apply(row);
			if (++rows[0] % SIZE_CHECK_EVERY == 0 && fresh.estimatedBytes() > maxBytes) {
				throw new IndexTooLarge(rows[0], fresh.estimatedBytes(), maxBytes);
			}
		});
		if (index != fresh || !signals.trusted()) {
			return null;
		}
		fresh.markReady();
		log.info("Loaded the auth client search index: {} clients, about {} bytes of heap", fresh.size(),
				fresh.estimatedBytes());
		return fresh;
	}

	private static String describe(Throwable ex) {
		return ex instanceof IndexTooLarge ? ex.getMessage() : "the load ran out of heap";
	}

	/** The index outgrew its budget while it loaded. */
	private static final class IndexTooLarge extends RuntimeException {

		IndexTooLarge(int clients, long bytes, long maxBytes) {
			super("about %,d bytes for the first %,d clients, over the %,d allowed".formatted(bytes, clients,
					maxBytes), null, false, false);
		}

	}

	private static @Nullable AuthClientSearchIndex awaitLoad(
			CompletableFuture<@Nullable AuthClientSearchIndex> load) {
		try {
			return load.get(LOAD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	@EventListener
	void clientChanged(ChangeSignal signal) {
		AuthClientSearchIndex current = index;
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

}
