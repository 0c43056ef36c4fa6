package io.gatehouse.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The list envelope of the original system, kept so its scripts port over: rows in {@code data}, paging in
 * {@code meta}.
 */
public record ApiPage<T>(List<T> data, Meta meta) {

	public static <T> ApiPage<T> of(Page<T> page, PageQuery query) {
		return new ApiPage<>(page.rows(), new Meta(page.total(), page.page(), page.perPage(), page.totalPages(),
				query.filter(), query.orderBy(), query.descending() ? "desc" : "asc"));
	}

	public record Meta(long total, int page, @JsonProperty("per_page") int perPage,
			@JsonProperty("total_pages") int totalPages, String filter, @JsonProperty("order_by") String orderBy,
			@JsonProperty("order_direction") String orderDirection) {
	}

}
