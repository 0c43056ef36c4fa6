package io.gatehouse.api;

import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * One page of a list: 1-based page number, page size, optional search text and an ordering chosen from the columns
 * a list allows. Built from untrusted query parameters by {@link #parse}, which refuses what it cannot honour.
 */
public record PageQuery(int page, int perPage, String filter, String orderBy, boolean descending) {

	public static final int DEFAULT_PER_PAGE = 10;

	public static final int MAX_PER_PAGE = 100;

	public static final int MAX_FILTER_LENGTH = 255;

	public PageQuery {
		filter = filter.trim();
	}

	public long offset() {
		return (long) (page - 1) * perPage;
	}

	/**
	 * Parses query parameters; missing ones take defaults. Throws {@link ValidationException} (422) naming the
	 * parameter when a value is out of range or names a column the list cannot be ordered by.
	 */
	public static PageQuery parse(@Nullable String page, @Nullable String perPage, @Nullable String filter,
			@Nullable String orderBy, @Nullable String orderDirection, Set<String> orderable, String defaultOrder) {
		FieldErrors errors = new FieldErrors();
		int pageNumber = parseInt(page, 1, 1, Integer.MAX_VALUE / MAX_PER_PAGE, "page", errors);
		int size = parseInt(perPage, DEFAULT_PER_PAGE, 1, MAX_PER_PAGE, "per_page", errors);
		String order = (orderBy == null || orderBy.isBlank()) ? defaultOrder : orderBy.trim();
		if (!orderable.contains(order)) {
			errors.add("order_by", "The order_by field must be one of: "
					+ String.join(", ", orderable.stream().sorted().toList()) + ".");
		}
		String direction = (orderDirection == null || orderDirection.isBlank()) ? "asc"
				: orderDirection.trim().toLowerCase(Locale.ROOT);
		if (!direction.equals("asc") && !direction.equals("desc")) {
			errors.add("order_direction", "The order_direction field must be asc or desc.");
		}
		String search = filter == null ? "" : filter;
		if (search.length() > MAX_FILTER_LENGTH) {
			errors.add("filter", "The filter field must not be greater than " + MAX_FILTER_LENGTH + " characters.");
		}
		else if (TextRules.problemWith("filter field", search) != null) {
			// no name holds such characters, and PostgreSQL refuses a NUL in any text parameter
			errors.add("filter", TextRules.problemWith("filter field", search));
		}
		errors.throwIfAny();
		return new PageQuery(pageNumber, size, search, order, direction.equals("desc"));
	}

	/** The filter if {@link #parse} would take it, else null: for a console list falling back to its defaults. */
	public static @Nullable String usableFilter(@Nullable String filter) {
		return filter != null && filter.length() <= MAX_FILTER_LENGTH && TextRules.problemWith("filter", filter) == null
				? filter : null;
	}

	private static int parseInt(@Nullable String raw, int fallback, int min, int max, String field,
			FieldErrors errors) {
		if (raw == null || raw.isBlank()) {
			return fallback;
		}
		try {
			int value = Integer.parseInt(raw.trim());
			if (value >= min && value <= max) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		errors.add(field, "The " + field + " field must be an integer between " + min + " and " + max + ".");
		return fallback;
	}

}
