package io.gatehouse.accounts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.gatehouse.api.FieldErrors;
import io.gatehouse.api.ValidationException;
import io.gatehouse.audit.FieldChange;
import io.gatehouse.database.NameKeys;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * The field rules of a user, for create and update: each field's checks, and whether a username is free (also of
 * look-alikes). A value sent back unchanged is kept as it is, even one saved before today's rules, so that what a
 * {@code GET} returned can be {@code PUT} back.
 */
@Component
class UserFields {

	private static final String USERNAME_TAKEN = "The Username has already been taken.";

	private static final String USERNAME_LOOKALIKE = "The Username is too similar to an existing username.";

	private final JdbcUserRepository users;

	UserFields(JdbcUserRepository users) {
		this.users = users;
	}

	/** The checked fields of a new user; the problems are recorded in {@code errors}. */
	Fields forCreate(FieldErrors errors, UserInput input) {
		String username = username(errors, input.username(), null);
		String firstname = Validation.optional(errors, "firstname", "Firstname", input.firstname(), 255);
		String lastname = Validation.optional(errors, "lastname", "Lastname", input.lastname(), 255);
		String email = Validation.email(errors, input.email());
		password(errors, input.password());
		return new Fields(username, firstname, lastname, email, !Boolean.FALSE.equals(input.active()),
				Boolean.TRUE.equals(input.superAdmin()));
	}

	/** The user's fields as the input changes them: a field left out or sent back unchanged keeps its value. */
	Fields forUpdate(FieldErrors errors, User current, UserInput input) {
		String username = unchanged(input.username(), current.username()) ? current.username()
				: username(errors, input.username(), current.id());
		String firstname = unchanged(input.firstname(), current.firstname()) ? current.firstname()
				: Validation.optional(errors, "firstname", "Firstname", input.firstname(), 255);
		String lastname = unchanged(input.lastname(), current.lastname()) ? current.lastname()
				: Validation.optional(errors, "lastname", "Lastname", input.lastname(), 255);
		String email = unchanged(input.email(), current.email()) ? current.email()
				: Validation.email(errors, input.email());
		if (isNewPassword(input)) {
			password(errors, input.password());
		}
		return new Fields(username, firstname, lastname, email,
				input.active() == null ? current.active() : input.active(),
				input.superAdmin() == null ? current.superAdmin() : input.superAdmin());
	}

	/** On update, a null or empty password keeps the current one. */
	static boolean isNewPassword(UserInput input) {
		return input.password() != null && !input.password().isEmpty();
	}

	/** Null (left out) or, trimmed, what is stored. */
	static boolean unchanged(@Nullable String value, String current) {
		return value == null || value.trim().equals(current);
	}

	/** A unique index refused the row: which one says whether the name itself or a look-alike was there first. */
	static ValidationException usernameTaken(DuplicateKeyException ex) {
		boolean lookalike = String.valueOf(ex.getMessage()).toLowerCase(Locale.ROOT)
			.contains("account_username_skeleton_uk");
		return ValidationException.of("username", lookalike ? USERNAME_LOOKALIKE : USERNAME_TAKEN);
	}

	private static void password(FieldErrors errors, @Nullable String password) {
		String problem = PasswordRules.problemWith(password);
		if (problem != null) {
			errors.add("password", problem);
		}
	}

	private String username(FieldErrors errors, @Nullable String value, @Nullable Long exceptId) {
		String username = Validation.required(errors, "username", "Username", value, 255);
		if (errors.has("username")) {
			return username;
		}
		String problem = Usernames.problemWith(username);
		if (problem != null) {
			errors.add("username", problem);
		}
		else if (users.usernameTaken(NameKeys.of(username), exceptId)) {
			errors.add("username", USERNAME_TAKEN);
		}
		else if (users.skeletonTaken(Usernames.skeleton(username), exceptId)) {
			errors.add("username", USERNAME_LOOKALIKE);
		}
		return username;
	}

	/** A user's fields as checked, before they are stored. */
	record Fields(String username, String firstname, String lastname, String email, boolean active,
			boolean superAdmin) {

		/** The user with these fields, as it is about to be saved over {@code current}. */
		User over(User current) {
			return new User(current.id(), username, firstname, lastname, email, active, superAdmin, current.version(),
					current.createdAt(), current.updatedAt(), current.serviceAccount());
		}

		/** The audit record's field changes from {@code before} (null: a new user) to these fields. */
		List<FieldChange> changesFrom(@Nullable User before) {
			List<FieldChange> changes = new ArrayList<>();
			FieldChange.addIfChanged(changes, "username", before == null ? null : before.username(), username);
			FieldChange.addIfChanged(changes, "firstname", before == null ? null : before.firstname(), firstname);
			FieldChange.addIfChanged(changes, "lastname", before == null ? null : before.lastname(), lastname);
			FieldChange.addIfChanged(changes, "email", before == null ? null : before.email(), email);
			FieldChange.addIfChanged(changes, "active", before == null ? null : before.active(), active);
			FieldChange.addIfChanged(changes, "super_admin", before == null ? null : before.superAdmin(),
					superAdmin);
			return changes;
		}

		/** Whether these fields are what {@code user} already holds. */
		boolean sameAs(User user) {
			return username.equals(user.username()) && firstname.equals(user.firstname())
					&& lastname.equals(user.lastname()) && email.equals(user.email()) && active == user.active()
					&& superAdmin == user.superAdmin();
		}

	}

}
