package io.gatehouse.config;

import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import org.springframework.security.web.firewall.StrictHttpFirewall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The firewall's character checks without regular expressions accept and refuse exactly what Spring's default
 * predicates do: every code point alone, unpaired surrogates, and strings that mix them with printable ASCII.
 */
class HeaderCharactersTests {

	@Test
	void valuesWhenEachCodePointAloneThenSameAnswerAsSpringsDefault() {
		assertSameForEveryCodePoint(HeaderCharacters.VALUES, StrictHttpFirewall.ALLOWED_HEADER_VALUES);
	}

	@Test
	void namesWhenEachCodePointAloneThenSameAnswerAsSpringsDefault() {
		assertSameForEveryCodePoint(HeaderCharacters.NAMES, StrictHttpFirewall.ALLOWED_HEADER_NAMES);
		// Spring checks parameter names with the same predicate; if that changes, so must HeaderCharacters' use
		assertThat(StrictHttpFirewall.ALLOWED_PARAMETER_NAMES).isSameAs(StrictHttpFirewall.ALLOWED_HEADER_NAMES);
	}

	@Test
	void valuesWhenMixedStringsThenSameAnswerAsSpringsDefault() {
		List<String> samples = List.of("", "Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "a\tb", "a\nb", "a\rb",
				"a\u0000b", "a\u007fb", "a\u0085b", "caf\u00e9", "\u00a0", "x\uD83D\uDE00y", "x\uD83Dy", "x\uDE00",
				"\uD83D", "ok\u0378", "ok\uFFFF", "ok\uFEFF", "\u2028", "\uE000", "\uDB80\uDC00",
				"\uD83D\uDE00\uD83D", "abc\u009f");
		for (String sample : samples) {
			assertThat(HeaderCharacters.VALUES.test(sample)).as(escaped(sample))
				.isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(sample));
			assertThat(HeaderCharacters.NAMES.test(sample)).as(escaped(sample))
				.isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(sample));
		}
		assertThat(HeaderCharacters.VALUES.test("a\tb")).isTrue();
		assertThat(HeaderCharacters.NAMES.test("a\tb")).isFalse();
		assertThat(HeaderCharacters.VALUES.test("a\u0085b")).isFalse();
	}

	private static void assertSameForEveryCodePoint(Predicate<String> fast, Predicate<String> spring) {
		int differences = 0;
		for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
			String value = "a" + new String(Character.toChars(codePoint)) + "b";
			if (fast.test(value) != spring.test(value)) {
				differences++;
			}
		}
		assertThat(differences).isZero();
	}

	private static String escaped(String value) {
		StringBuilder out = new StringBuilder();
		value.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
				: String.format("\\u%04x", c)));
		return out.toString();
	}

}
