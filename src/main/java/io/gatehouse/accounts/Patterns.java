package io.gatehouse.accounts;

import java.util.Locale;

/** LIKE patterns for search boxes: the text is matched literally, so "%" and "_" typed by a user are no wildcards. */
final class Patterns {

	private Patterns() {
	}

	static String contains(String text) {
		String escaped = text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
		return "%" + escaped + "%";
	}

}
