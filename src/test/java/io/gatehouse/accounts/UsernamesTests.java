package io.gatehouse.accounts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class UsernamesTests {

	@ParameterizedTest
	@ValueSource(strings = { "\u0430dmin", "p\u0430yp\u0430l", "ivan@\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444",
			"\u0391lice", "adm\u0456n" })
	void problemWithWhenLatinMixedWithCyrillicOrGreekThenMessage(String username) {
		assertThat(Usernames.problemWith(username))
			.isEqualTo("The Username must not mix letters of different scripts.");
	}

	@Test
	void problemWithWhenDigitsOfDifferentScriptsThenMessage() {
		// ASCII 7 and a fullwidth 7
		assertThat(Usernames.problemWith("agent7\uff17")).isEqualTo(
				"The Username must not mix digits of different scripts.");
	}

	@Test
	void problemWithWhenMarkRepeatedOrOverlaidThenMessage() {
		assertThat(Usernames.problemWith("i\u0307\u0307")).isEqualTo(
				"The Username must not contain repeated or hidden combining marks.");
	}

	@ParameterizedTest
	@ValueSource(strings = { "admin", "ada.lovelace", "ada@example.com", "j\u00fcrgen",
			"\u0394\u03b7\u03bc\u03ae\u03c4\u03c1\u03b7\u03c2",
			"\u0438\u0432\u0430\u043d", "\u5c71\u7530\u305f\u308d\u3046", "\u0645\u062d\u0645\u062f",
					"svc-5b0c1d2e-8f3a",
			"user_42", "O'Brien" })
	void problemWithWhenOneScriptThenNone(String username) {
		assertThat(Usernames.problemWith(username)).isNull();
	}

	@ParameterizedTest
	@CsvSource({ "paypal,paypa1", "Ilona,llona", "admin,Admin", "modern,rnodern", "\u0421\u041e\u0412\u0410,COBA",
			"ad min,ad\u00a0min", "caf\u00e9,cafe\u0301", "agent007,agentOO7" })
	void skeletonWhenNamesLookAlikeThenEqual(String one, String other) {
		assertThat(Usernames.skeleton(one)).isEqualTo(Usernames.skeleton(other)).hasSize(64);
	}

	@ParameterizedTest
	@CsvSource({ "alice,bob", "ada,adam", "user1,user2", "caf\u00e9,cafe" })
	void skeletonWhenNamesDifferThenDifferent(String one, String other) {
		assertThat(Usernames.skeleton(one)).isNotEqualTo(Usernames.skeleton(other));
	}

}
