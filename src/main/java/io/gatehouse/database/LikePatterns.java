package io.gatehouse.database;

import java.util.Locale;

/**
 * LIKE patterns for search boxes. The text is matched literally, so a {@code %} or {@code _} a user types is no
 * wildcard; use the pattern with {@code like :pattern escape '\'} against a lower-cased column.
 */
public final class LikePatterns {

	private LikePatterns() {
	}

	/** Matches values that contain {@code text}, ignoring case. */
	public static String contains(String text) {
		String escaped = text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
		return "%" + escaped + "%";
	}

}
