package io.gatehouse.clients;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import io.gatehouse.api.PageQuery;
import org.jspecify.annotations.Nullable;

/**
 * What {@link AuthClientSearch} searches: every client (deleted ones too, with their last version) and a trigram
 * posting index over the text a search matches, so that a search costs about its matches, not the catalogue.
 * <p>
 * Each client has a slot (a dense number, kept for its id); for every three consecutive characters (UTF-16 code units,
 * as {@link String#indexOf} compares) of its search text, the trigram's posting list holds the slot, the lists sorted
 * by slot. Text containing the search text contains each of its trigrams, so the clients in all of the search's lists
 * are a superset of the matches; a search takes its smallest list, narrows it by the other lists that are selective,
 * and then checks each remaining candidate with the same {@code indexOf} as before, so the matches are exactly what
 * the walk of every client found. A search text shorter than three characters has no trigram: it walks every client
 * (such a text matches most of a catalogue anyway).
 * <p>
 * One read-write lock: searches share it, a change (rare: one client per signal) takes it alone, so a search sees a
 * client either before or after a change, never half of one.
 */
final class AuthClientSearchIndex {

	/** The list's name order, {@code name_key} compared as Java (and H2) compares strings; names are unique. */
	private static final Comparator<Entry> BY_NAME = AuthClientSearchIndex::compareNames;

	private static final Comparator<Entry> BY_CREATED = Comparator.comparingLong(Entry::createdAt)
		.thenComparing(Entry::id);

	private final ReadWriteLock lock = new ReentrantReadWriteLock();

	private final Map<String, Integer> slots = new HashMap<>();

	private Entry[] entries = new Entry[1024];

	private int used;

	private final Map<Long, Postings> postings = new HashMap<>();

	private volatile boolean ready;

	/** Bumped by every change of an entry (under the write lock): what a search found stays true until then. */
	private long generation;

	/** The most searches remembered, and the most matches of one: at most 16 x 4 x 50,000 bytes, 3.2 MB. */
	static final int MAX_REMEMBERED = 16;

	static final int MAX_REMEMBERED_MATCHES = 50_000;

	/** The last searches' findings by text and order, least recently used first; guarded by itself. */
	private final Map<String, Found> recent = new LinkedHashMap<>(32, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Found> eldest) {
			return size() > MAX_REMEMBERED;
		}
	};

	boolean ready() {
		return ready;
	}

	void markReady() {
		ready = true;
	}

	void apply(JdbcAuthClientRepository.SearchRow row) {
		if (row.revoked() || row.nameKey() == null) {
			put(new Entry(row.id(), null, null, 0, 0, row.version()));
			return;
		}
		Instant created = row.createdAt();
		put(new Entry(row.id(), row.nameKey() + "\n" + row.redirectKey(),
				row.idKey().equals(row.id()) ? null : row.idKey(), row.nameKey().length(),
				created.getEpochSecond() * 1_000_000_000L + created.getNano(), row.version()));
	}

	/** The row is gone from the database (never in use: deleted clients stay as revoked rows). */
	void remove(String id) {
		put(new Entry(id, null, null, 0, 0, Integer.MAX_VALUE));
	}

	private void put(Entry read) {
		lock.writeLock().lock();
		try {
			Integer known = slots.get(read.id());
			int slot;
			long[] before;
			if (known == null) {
				slot = used++;
				if (slot == entries.length) {
					entries = Arrays.copyOf(entries, entries.length * 2);
				}
				slots.put(read.id(), slot);
				before = new long[0];
			}
			else {
				slot = known;
				Entry held = entries[slot];
				// a read older than what the index holds (signals handled out of order) changes nothing
				if (held.version() >= read.version()) {
					return;
				}
				before = held.trigrams();
			}
			long[] after = read.trigrams();
			// only the trigrams that differ: a rename rarely changes most of them, and common ones have long lists
			for (long trigram : before) {
				if (Arrays.binarySearch(after, trigram) < 0) {
					Postings list = postings.get(trigram);
					list.remove(slot);
					if (list.size() == 0) {
						postings.remove(trigram);
					}
				}
			}
			for (long trigram : after) {
				if (Arrays.binarySearch(before, trigram) < 0) {
					postings.computeIfAbsent(trigram, t -> new Postings()).add(slot);
				}
			}
			entries[slot] = read;
			generation++;
		}
		finally {
			lock.writeLock().unlock();
		}
	}

	/**
	 * Counts the live clients whose name key, lower-cased id or redirect URLs contain {@code text}; adds to
	 * {@code ids} the query's page of them in its order, or with {@code all} every one of them, unordered.
	 * <p>
	 * A search asked again while no client changed (the next page, a console refreshing, a script polling) is
	 * answered from what the last one found ({@link Found}): the ids of its page without checking a candidate again.
	 */
	long search(String text, PageQuery query, boolean all, List<String> ids) {
		Comparator<Entry> order = query.orderBy().equals("created_at") ? BY_CREATED : BY_NAME;
		if (query.descending()) {
			order = order.reversed();
		}
		String key = key(text, query, all);
		long wanted = query.offset() + query.perPage();
		lock.readLock().lock();
		try {
			Found found = found(key);
			int[] matches = found != null ? found.matches() : matches(text);
			if (all) {
				for (int slot : matches) {
					ids.add(entries[slot].id());
				}
				if (found == null) {
					remember(key, new Found(generation, matches, new int[0]));
				}
				return matches.length;
			}
			int[] best = found != null ? found.best() : new int[0];
			if (best.length < Math.min(wanted, matches.length)) {
				// twice what this page needs (up to a page more), so that the next page is served from it too
				best = best(matches, order, Math.min(2 * wanted, wanted + PageQuery.MAX_PER_PAGE));
				remember(key, new Found(generation, matches, best));
			}
			for (long i = query.offset(); i < Math.min(wanted, best.length); i++) {
				ids.add(entries[best[(int) i]].id());
			}
			return matches.length;
		}
		finally {
			lock.readLock().unlock();
		}
	}

	/** The slots of the live clients that match {@code text}, ascending. Under the read lock. */
	private int[] matches(String text) {
		int[] candidates = candidates(text);
		int count = candidates == null ? used : candidates.length;
		int[] matches = new int[Math.min(count, 1024)];
		int found = 0;
		for (int i = 0; i < count; i++) {
			int slot = candidates == null ? i : candidates[i];
			if (entries[slot].matches(text)) {
				if (found == matches.length) {
					matches = Arrays.copyOf(matches, Math.min(count, found * 2));
				}
				matches[found++] = slot;
			}
		}
		return found == matches.length ? matches : Arrays.copyOf(matches, found);
	}

	/** The first {@code wanted} of {@code matches} in {@code order}, in that order. Under the read lock. */
	private int[] best(int[] matches, Comparator<Entry> order, long wanted) {
		Comparator<Integer> bySlot = (a, b) -> order.compare(entries[a], entries[b]);
		// the heap's head is the worst of the best so far
		PriorityQueue<Integer> best = new PriorityQueue<>(bySlot.reversed());
		for (int slot : matches) {
			if (best.size() < wanted) {
				best.add(slot);
			}
			else if (order.compare(entries[slot], entries[best.peek()]) < 0) {
				best.poll();
				best.add(slot);
			}
		}
		return best.stream().sorted(bySlot).mapToInt(Integer::intValue).toArray();
	}

	/** A search's text and order: {@code all} has no order. A text has no control character, so no key is another's. */
	private static String key(String text, PageQuery query, boolean all) {
		return all ? text : text + '\n' + query.orderBy() + (query.descending() ? " desc" : " asc");
	}

	/** What the search for {@code key} found, if no client changed since. Under the read lock. */
	private @Nullable Found found(String key) {
		Found found;
		synchronized (recent) {
			found = recent.get(key);
		}
		return found != null && found.generation() == generation ? found : null;
	}

	private void remember(String key, Found found) {
		if (found.matches().length > MAX_REMEMBERED_MATCHES) {
			return;
		}
		synchronized (recent) {
			recent.put(key, found);
		}
	}

	/**
	 * The slots that hold every trigram of {@code text} (a superset of the matches), ascending; null when
	 * {@code text} is too short to have one (then every slot is a candidate).
	 */
	private int @Nullable [] candidates(String text) {
		long[] trigrams = trigramsOf(text);
		if (trigrams.length == 0) {
			return null;
		}
		Postings[] lists = new Postings[trigrams.length];
		for (int i = 0; i < trigrams.length; i++) {
			lists[i] = postings.get(trigrams[i]);
			if (lists[i] == null) {
				return new int[0];
			}
		}
		Arrays.sort(lists, Comparator.comparingInt(Postings::size));
		int[] candidates = Arrays.copyOf(lists[0].slots, lists[0].size);
		int count = candidates.length;
		for (int i = 1; i < lists.length && count > 0; i++) {
			// a list holding most clients removes few candidates and costs a lookup per candidate: the check of
			// each candidate's text is about as dear, so only the selective lists narrow
			if (lists[i].size() > used / 2) {
				break;
			}
			count = lists[i].retainIn(candidates, count);
		}
		return count == candidates.length ? candidates : Arrays.copyOf(candidates, count);
	}

	/** Whether {@link #search} would answer this query from what an earlier search found (no client changed). */
	boolean remembers(String text, PageQuery query, boolean all) {
		lock.readLock().lock();
		try {
			Found found = found(key(text, query, all));
			return found != null && (all || found.best().length >= Math.min(query.offset() + query.perPage(),
					found.matches().length));
		}
		finally {
			lock.readLock().unlock();
		}
	}

	/** How many clients a search for {@code text} checks: what its cost follows. */
	int candidateCount(String text) {
		lock.readLock().lock();
		try {
			int[] candidates = candidates(text);
			return candidates == null ? used : candidates.length;
		}
		finally {
			lock.readLock().unlock();
		}
	}

	/** How many clients the index holds, deleted ones included. */
	int size() {
		lock.readLock().lock();
		try {
			return used;
		}
		finally {
			lock.readLock().unlock();
		}
	}

	/**
	 * An estimate of the heap the index takes, in bytes (compressed references, 16-byte object headers, String
	 * contents as Latin-1 bytes): the entries and their strings, the id-to-slot map and the posting lists.
	 */
	long estimatedBytes() {
		lock.readLock().lock();
		try {
			long bytes = 16L + 4L * entries.length;
			for (int i = 0; i < used; i++) {
				Entry entry = entries[i];
				bytes += 48 + stringBytes(entry.id()) + stringBytes(entry.text()) + stringBytes(entry.idKey());
			}
			// a HashMap node (32) and the Integer (16) per slot; the table (4 per bucket, about 2 per entry)
			bytes += (32 + 16 + 8) * (long) slots.size();
			for (Postings list : postings.values()) {
				// node, Long key, the Postings, its array
				bytes += 32 + 24 + 24 + 16 + 4L * list.slots.length + 8;
			}
			return bytes;
		}
		finally {
			lock.readLock().unlock();
		}
	}

	private static long stringBytes(@Nullable String text) {
		return text == null ? 0 : 24 + 16 + text.length();
	}

	/** The distinct trigrams of {@code text}, sorted: three UTF-16 code units packed in a long. */
	static long[] trigramsOf(String text) {
		if (text.length() < 3) {
			return new long[0];
		}
		long[] trigrams = new long[text.length() - 2];
		for (int i = 0; i < trigrams.length; i++) {
			trigrams[i] = ((long) text.charAt(i) << 32) | ((long) text.charAt(i + 1) << 16) | text.charAt(i + 2);
		}
		Arrays.sort(trigrams);
		int distinct = 0;
		for (int i = 0; i < trigrams.length; i++) {
			if (i == 0 || trigrams[i] != trigrams[i - 1]) {
				trigrams[distinct++] = trigrams[i];
			}
		}
		return Arrays.copyOf(trigrams, distinct);
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

	/** The slots that hold a trigram, ascending. */
	private static final class Postings {

		private int[] slots = new int[2];

		private int size;

		int size() {
			return size;
		}

		void add(int slot) {
			// new clients take the highest slot: almost every add appends
			int at = size == 0 || slots[size - 1] < slot ? size : Arrays.binarySearch(slots, 0, size, slot);
			if (at >= 0 && at < size) {
				return;
			}
			at = at < 0 ? -at - 1 : at;
			if (size == slots.length) {
				slots = Arrays.copyOf(slots, size + (size >> 1) + 1);
			}
			System.arraycopy(slots, at, slots, at + 1, size - at);
			slots[at] = slot;
			size++;
		}

		void remove(int slot) {
			int at = Arrays.binarySearch(slots, 0, size, slot);
			if (at >= 0) {
				System.arraycopy(slots, at + 1, slots, at, size - at - 1);
				size--;
			}
		}

		/**
		 * Keeps in the first {@code count} of {@code candidates} (ascending) those this list holds, in place; returns
		 * how many. Gallops: each lookup starts where the previous one ended.
		 */
		int retainIn(int[] candidates, int count) {
			int kept = 0;
			int from = 0;
			for (int i = 0; i < count && from < size; i++) {
				int slot = candidates[i];
				int step = 1;
				int to = from;
				while (to < size && slots[to] < slot) {
					from = to + 1;
					to += step;
					step <<= 1;
				}
				int at = Arrays.binarySearch(slots, from, Math.min(to + 1, size), slot);
				if (at >= 0) {
					candidates[kept++] = slot;
					from = at + 1;
				}
				else {
					from = -at - 1;
				}
			}
			return kept;
		}

	}

	/**
	 * What a search found while the index was at {@code generation}: the slots of every match, ascending, and the
	 * first of them in the search's order (empty for a search of every match, unordered).
	 */
	private record Found(long generation, int[] matches, int[] best) {
	}

	/**
	 * A client as the search sees it. {@code text}: the name key and the lower-cased redirect URLs joined by new
	 * lines, null for a deleted client; {@code idKey}: the lower-cased id, null when it is the id itself;
	 * {@code createdAt}: nanoseconds since the epoch.
	 */
	private record Entry(String id, @Nullable String text, @Nullable String idKey, int nameLength, long createdAt,
			int version) {

		boolean matches(String search) {
			// the id first: it is the shorter. No match spans two fields: a filter has no control characters, the
			// fields are joined by '\n'
			return text != null && ((idKey == null ? id : idKey).indexOf(search) >= 0 || text.indexOf(search) >= 0);
		}

		/** Every trigram a search may look this client up by; none for a deleted client. */
		long[] trigrams() {
			if (text == null) {
				return new long[0];
			}
			long[] ofText = trigramsOf(text);
			long[] ofId = trigramsOf(idKey == null ? id : idKey);
			long[] both = Arrays.copyOf(ofText, ofText.length + ofId.length);
			System.arraycopy(ofId, 0, both, ofText.length, ofId.length);
			Arrays.sort(both);
			int distinct = 0;
			for (int i = 0; i < both.length; i++) {
				if (i == 0 || both[i] != both[i - 1]) {
					both[distinct++] = both[i];
				}
			}
			return Arrays.copyOf(both, distinct);
		}

	}

}
