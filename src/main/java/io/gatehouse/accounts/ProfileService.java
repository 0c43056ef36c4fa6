package io.gatehouse.accounts;

import java.util.List;

import io.gatehouse.api.FieldErrors;
import io.gatehouse.api.ValidationException;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.FieldChange;

import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The signed-in user's own account: changing their own password, which needs no permission, only the current one. */
@Service
class ProfileService {

	private final JdbcUserRepository users;

	private final Actors actors;

	private final PasswordEncoder passwordEncoder;

	private final AuditTrail audit;

	ProfileService(JdbcUserRepository users, Actors actors, PasswordEncoder passwordEncoder, AuditTrail audit) {
		this.users = users;
		this.actors = actors;
		this.passwordEncoder = passwordEncoder;
		this.audit = audit;
	}

	/**
	 * Changes the signed-in user's own password, which needs the current one.
	 * @throws ValidationException under {@code current_password}, {@code password} or {@code password_confirmation}
	 */
	@Transactional
	void changeOwnPassword(@Nullable String currentPassword, @Nullable String password,
			@Nullable String confirmation) {
		Actor actor = actors.current();
		FieldErrors errors = new FieldErrors();
		if (currentPassword == null || currentPassword.isEmpty()) {
			errors.add("current_password", "The Current Password field is required.");
		}
		else if (!passwordEncoder.matches(currentPassword, users.passwordHash(actor.id()))) {
			errors.add("current_password", "The Current Password is incorrect.");
		}
		String problem = PasswordRules.problemWith(password);
		if (problem != null) {
			errors.add("password", problem);
		}
		else if (!password.equals(confirmation)) {
			errors.add("password_confirmation", "The Password confirmation does not match.");
		}
		errors.throwIfAny();
		users.updatePassword(actor.id(), passwordEncoder.encode(password));
		audit.record(actor.auditId(), actor.username(), "password_changed", AccountService.SUBJECT,
				Long.toString(actor.id()), actor.username(), List.of(new FieldChange("password", null, "(changed)")));
	}

}
