package io.gatehouse.api;

import org.jspecify.annotations.Nullable;

/** Strong ETags derived from a record's version column, and the matching {@code If-Match} check. */
public final class ETags {

	private ETags() {
	}

	public static String of(int version) {
		return "\"" + version + "\"";
	}

	/**
	 * Returns the version a request's {@code If-Match} asks for, or null when the header is absent or {@code *}
	 * (both mean "whatever is current"). A header naming no version this server could have issued never matches.
	 */
	public static @Nullable Integer expectedVersion(@Nullable String ifMatch) {
		if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
			return null;
		}
		String tag = ifMatch.trim();
		if (tag.startsWith("W/")) {
			tag = tag.substring(2);
		}
		if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
			tag = tag.substring(1, tag.length() - 1);
		}
		try {
			return Integer.parseInt(tag);
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

}
