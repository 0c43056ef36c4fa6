package io.gatehouse.accounts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.gatehouse.api.PageQuery;
import io.gatehouse.api.ValidationException;

import org.jspecify.annotations.Nullable;
import org.springframework.web.util.UriComponentsBuilder;

/** Small helpers the users and groups pages share. */
final class ConsoleLists {

	private ConsoleLists() {
	}

	/** A console list never fails on a hand-edited query string: what cannot be honoured falls back to defaults. */
	static PageQuery query(@Nullable String page, @Nullable String filter, @Nullable String orderBy,
			@Nullable String direction, Set<String> orderable, String defaultOrder) {
		try {
			return PageQuery.parse(page, null, filter, orderBy, direction, orderable, defaultOrder);
		}
		catch (ValidationException ex) {
			return PageQuery.parse(null, null, null, null, null, orderable, defaultOrder);
		}
	}

	/** The list's address without the page number, ready for the pager to append {@code &page=n}. */
	static String baseUrl(String path, PageQuery query) {
		return UriComponentsBuilder.fromPath(path)
			.queryParam("filter", query.filter())
			.queryParam("order_by", query.orderBy())
			.queryParam("order_direction", query.descending() ? "desc" : "asc")
			.encode()
			.toUriString();
	}

	static Map<String, List<Permission>> byCategory(List<Permission> permissions) {
		Map<String, List<Permission>> categories = new LinkedHashMap<>();
		permissions.forEach(p -> categories.computeIfAbsent(p.category(), c -> new java.util.ArrayList<>()).add(p));
		return categories;
	}

}
