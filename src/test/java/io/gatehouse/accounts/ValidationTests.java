package io.gatehouse.accounts;

import io.gatehouse.api.FieldErrors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ValidationTests {

	@ParameterizedTest
	@ValueSource(strings = { "a@example.com", "first.last+tag@sub.example.org", "  padded@example.com  " })
	void emailWhenWellFormedThenAcceptedAndTrimmed(String email) {
		FieldErrors errors = new FieldErrors();
		assertThat(Validation.email(errors, email)).isEqualTo(email.trim());
		assertThat(errors.isEmpty()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "plain", "a@b", "@example.com", "a@@example.com", "a b@example.com", "a@exa mple.com" })
	void emailWhenMalformedThenMessage(String email) {
		FieldErrors errors = new FieldErrors();
		Validation.email(errors, email);
		assertThat(errors.asMap().get("email")).containsExactly("The Email must be a valid email address.");
	}

	@Test
	void emailWhenBlankThenAcceptedAsNone() {
		FieldErrors errors = new FieldErrors();
		assertThat(Validation.email(errors, "  ")).isEmpty();
		assertThat(errors.isEmpty()).isTrue();
	}

	@Test
	void requiredWhenBlankOrTooLongThenLaravelMessages() {
		FieldErrors errors = new FieldErrors();
		Validation.required(errors, "name", "Name", " ", 255);
		Validation.required(errors, "title", "Title", "x".repeat(256), 255);
		assertThat(errors.asMap().get("name")).containsExactly("The Name field is required.");
		assertThat(errors.asMap().get("title")).containsExactly("The Title must not be greater than 255 characters.");
	}

}
