package io.gatehouse.api;

import org.jspecify.annotations.Nullable;

/**
 * The characters no name may contain, checked on every write path (console and API) of users, groups, auth clients
 * and personal access tokens: control characters (Unicode category Cc, such as NUL or the escape that starts a
 * terminal sequence), format characters (Cf: the bidirectional overrides and isolates U+202A-202E and U+2066-2069
 * that make "exe.txt" display as "txt.exe", zero-width spaces and joiners, the byte order mark, soft hyphens,
 * invisible tag characters), the
 * line and paragraph separators U+2028 and U+2029, and unpaired surrogates (not text at all; PostgreSQL cannot store
 * them). Letters, marks, digits, punctuation, symbols and spaces of every script are fine.
 */
public final class TextRules {

	private TextRules() {
	}

	/** The problem with a one-line text such as a name, as a message about {@code label}; null when there is none. */
	public static @Nullable String problemWith(String label, String text) {
		return problemWith(label, text, false);
	}

	/** As {@link #problemWith(String, String)}, but line breaks and tabs are allowed (a text area's content). */
	public static @Nullable String problemWithMultiline(String label, String text) {
		return problemWith(label, text, true);
	}

	private static @Nullable String problemWith(String label, String text, boolean multiline) {
		boolean control = false;
		for (int i = 0; i < text.length();) {
			int c = text.codePointAt(i);
			if (Character.getType(c) == Character.SURROGATE) {
				// codePointAt returns a surrogate itself only when it is not half of a pair
				return "The " + label + " must be valid Unicode text.";
			}
			if (!(multiline && (c == '\n' || c == '\r' || c == '\t')) && isControl(c)) {
				control = true;
			}
			i += Character.charCount(c);
		}
		return control ? "The " + label + " must not contain control characters." : null;
	}

	private static boolean isControl(int c) {
		int type = Character.getType(c);
		return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
				|| type == Character.PARAGRAPH_SEPARATOR;
	}

}
