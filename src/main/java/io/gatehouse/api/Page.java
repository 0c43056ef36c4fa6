package io.gatehouse.api;

import java.util.List;
import java.util.function.Function;

/** One page of rows plus what a pager needs to draw itself. */
public record Page<T>(List<T> rows, long total, int page, int perPage) {

	public int totalPages() {
		return total == 0 ? 1 : (int) ((total + perPage - 1) / perPage);
	}

	public boolean hasPrevious() {
		return page > 1;
	}

	public boolean hasNext() {
		return page < totalPages();
	}

	public <R> Page<R> map(Function<T, R> mapper) {
		return new Page<>(rows.stream().map(mapper).toList(), total, page, perPage);
	}

}
