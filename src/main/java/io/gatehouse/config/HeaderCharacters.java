package io.gatehouse.config;

import java.util.function.Predicate;

/**
 * The characters Spring Security's {@code StrictHttpFirewall} accepts in header names, header values and parameter
 * names, decided code point by code point rather than with its default regular expressions
 * ({@code [\p{IsAssigned}&&[^\p{IsControl}]]*}, and the same with a tab for header values). The rules are the same;
 * the cost is not: the firewall checks a header's value each time the application reads it, and a JWT bearer token
 * (about 800 characters, read several times per request) cost a regular-expression match of every character through
 * Unicode property tables. Printable ASCII, almost every character a request carries, is accepted in one comparison.
 */
final class HeaderCharacters {

	/** Header and parameter names: assigned and not a control character. */
	static final Predicate<String> NAMES = value -> allowed(value, false);

	/** Header values: assigned and not a control character, or a tab. */
	static final Predicate<String> VALUES = value -> allowed(value, true);

	private HeaderCharacters() {
	}

	static boolean allowed(String value, boolean tab) {
		int length = value.length();
		int i = 0;
		while (i < length) {
			char c = value.charAt(i);
			if (c >= 0x20 && c < 0x7f) {
				i++;
				continue;
			}
			// as java.util.regex reads it: by code point, an unpaired surrogate as itself
			int codePoint = value.codePointAt(i);
			if (!(tab && codePoint == '\t')) {
				int type = Character.getType(codePoint);
				if (type == Character.UNASSIGNED || type == Character.CONTROL) {
					return false;
				}
			}
			i += Character.charCount(codePoint);
		}
		return true;
	}

}
