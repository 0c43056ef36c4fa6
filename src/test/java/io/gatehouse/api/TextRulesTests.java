package io.gatehouse.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class TextRulesTests {

	@ParameterizedTest
	@ValueSource(strings = { "\u0000", "\u001b", "\u0007", "\n", "\r", "\t", "\u007f", "\u0085", // Cc
			"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", // bidi
			"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u061c", "\u200e", "\u200f", // Cf
			"\u2028", "\u2029", "\udb40\udc41" /* an invisible tag character */ })
	void problemWithWhenControlOrFormatCharacterThenMessage(String character) {
		assertThat(TextRules.problemWith("Firstname", "Ada" + character + "Lovelace"))
			.isEqualTo("The Firstname must not contain control characters.");
		assertThat(TextRules.problemWith("Firstname", character)).isNotNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "\ud800", "x\udc00", "x\ud83d", "\udc00\ud800", "\ud83d\ud83d\ude00" })
	void problemWithWhenUnpairedSurrogateThenMessage(String text) {
		assertThat(TextRules.problemWith("Name", text)).isEqualTo("The Name must be valid Unicode text.");
	}

	@ParameterizedTest
	@ValueSource(strings = { "Ada Lovelace", "O'Brien-Smith", "Jürgen Müller", "Δημήτρης", "山田太郎", "محمد",
			"Ольга", "नमस्ते", "Nightly export (CI) \ud83d\ude80", "a@example.com", "" })
	void problemWithWhenPrintableTextOfAnyScriptThenNone(String text) {
		assertThat(TextRules.problemWith("Name", text)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "line one\nline two", "windows\r\nline", "tab\tbed" })
	void multilineWhenLineBreaksOrTabsThenNone(String text) {
		assertThat(TextRules.problemWithMultiline("Description", text)).isNull();
		assertThat(TextRules.problemWith("Description", text)).isNotNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "\u001b[31mred", "right\u202eto left", "zero\u200bwidth", "\u0000", "\ud800" })
	void multilineWhenOtherControlCharactersOrSurrogatesThenMessage(String text) {
		assertThat(TextRules.problemWithMultiline("Description", text)).startsWith("The Description must");
	}

}
