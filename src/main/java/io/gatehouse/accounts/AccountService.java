package io.gatehouse.accounts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.gatehouse.accounts.Grants.AccountChange;
import io.gatehouse.api.ConflictException;
import io.gatehouse.api.FieldErrors;
import io.gatehouse.api.ForbiddenException;
import io.gatehouse.api.NotFoundException;
import io.gatehouse.api.Page;
import io.gatehouse.api.PageQuery;
import io.gatehouse.api.StaleVersionException;
import io.gatehouse.api.ValidationException;
import io.gatehouse.audit.AuditableChange;
import io.gatehouse.audit.FieldChange;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Users and permissions. Every change is made by the signed-in user (see {@link SignedInUser#current()}) and checked
 * here, whoever calls: nobody grants a permission they do not hold; nobody changes or deletes another account that
 * holds a permission they do not hold, and only a super admin makes, changes or deletes a super admin; the last active
 * super admin stays; nobody deletes themselves; a service account's username, password and deletion belong to its
 * client. Broken input is a {@link ValidationException} (nothing written), a broken rule a {@link ForbiddenException},
 * deleting a service account a {@link ConflictException}, an unknown id a {@link NotFoundException}, a stale version
 * a {@link StaleVersionException}. Each change is audited in its own transaction; a password or its hash never leaves
 * this class.
 */
@Service
public class AccountService {

	/** The columns a user list can be ordered by. */
	public static final Set<String> USER_ORDERABLE = JdbcUserRepository.ORDERABLE.keySet();

	static final String SUBJECT = "user";

	private static final String USERNAME_TAKEN = "The Username has already been taken.";

	private static final String USERNAME_LOOKALIKE = "The Username is too similar to an existing username.";

	private final JdbcUserRepository users;

	private final JdbcSignInRepository signIns;

	private final JdbcPermissionRepository permissions;

	private final Actors actors;

	private final Grants grants;

	private final PasswordEncoder passwordEncoder;

	private final ApplicationEventPublisher events;

	private final ServiceAccountClients serviceAccountClients;

	AccountService(JdbcUserRepository users, JdbcSignInRepository signIns, JdbcPermissionRepository permissions,
			Actors actors, Grants grants, PasswordEncoder passwordEncoder, ApplicationEventPublisher events,
			ServiceAccountClients serviceAccountClients) {
		this.users = users;
		this.signIns = signIns;
		this.permissions = permissions;
		this.actors = actors;
		this.grants = grants;
		this.passwordEncoder = passwordEncoder;
		this.events = events;
		this.serviceAccountClients = serviceAccountClients;
	}

	@Transactional(readOnly = true)
	public Page<User> findUsers(PageQuery query) {
		return users.findPage(query);
	}

	/** @throws NotFoundException when there is no such user */
	@Transactional(readOnly = true)
	public User getUser(long id) {
		return users.findById(id).orElseThrow(() -> new NotFoundException("User"));
	}

	/** The permissions granted to the user directly (not through groups), sorted. */
	@Transactional(readOnly = true)
	public Set<String> directPermissionsOf(long userId) {
		return users.directPermissions(getUser(userId).id());
	}

	/** The permissions the user holds directly or through any group, not counting the super admin flag. */
	@Transactional(readOnly = true)
	public Set<String> grantedPermissionsOf(long userId) {
		return signIns.grantedPermissions(getUser(userId).id());
	}

	@Transactional(readOnly = true)
	public List<Group> groupsOf(long userId) {
		return users.groupsOf(getUser(userId).id());
	}

	/**
	 * Refuses unless the signed-in user may change this account, as every change to it here requires: they hold every
	 * permission it holds, directly or through groups, and a super admin is changed only by a super admin. For changes
	 * made elsewhere, such as revoking the account's tokens.
	 * @throws NotFoundException when there is no such user
	 * @throws ForbiddenException naming a permission the account holds and the signed-in user does not
	 */
	@Transactional(readOnly = true)
	public void requireMayChange(long userId) {
		grants.requireMayChange(actors.current(), getUser(userId), AccountChange.EDIT);
	}

	/** Why the signed-in user may not change this account (see {@link #requireMayChange}); empty when they may. */
	@Transactional(readOnly = true)
	public Optional<String> whyMayNotChange(long userId) {
		return grants.whyMayNotChange(actors.current(), getUser(userId), AccountChange.EDIT);
	}

	/** Every permission, in display order. */
	@Transactional(readOnly = true)
	public List<Permission> permissions() {
		return permissions.findAll();
	}

	@Transactional
	public User createUser(UserInput input) {
		Actor actor = actors.current();
		FieldErrors errors = new FieldErrors();
		String username = username(errors, input.username(), null);
		String firstname = Validation.optional(errors, "firstname", "Firstname", input.firstname(), 255);
		String lastname = Validation.optional(errors, "lastname", "Lastname", input.lastname(), 255);
		String email = Validation.email(errors, input.email());
		String problem = PasswordRules.problemWith(input.password());
		if (problem != null) {
			errors.add("password", problem);
		}
		Set<String> granted = grants.known(errors,
				input.permissions() == null ? Set.of() : input.permissions());
		errors.throwIfAny();
		boolean superAdmin = Boolean.TRUE.equals(input.superAdmin());
		boolean active = !Boolean.FALSE.equals(input.active());
		if (superAdmin && !actor.superAdmin()) {
			throw new ForbiddenException("Only a super admin can make a user a super admin.");
		}
		grants.requireHeld(actor, granted);
		long id;
		try {
			id = users.insert(username, firstname, lastname, email, active, superAdmin,
					passwordEncoder.encode(input.password()));
		}
		catch (DuplicateKeyException ex) {
			// another request took the name, or one that looks like it, after the checks above
			throw usernameTaken(ex);
		}
		users.replaceDirectPermissions(id, granted);
		List<FieldChange> changes = new ArrayList<>();
		FieldChange.addIfChanged(changes, "username", null, username);
		FieldChange.addIfChanged(changes, "firstname", null, firstname);
		FieldChange.addIfChanged(changes, "lastname", null, lastname);
		FieldChange.addIfChanged(changes, "email", null, email);
		FieldChange.addIfChanged(changes, "active", null, active);
		FieldChange.addIfChanged(changes, "super_admin", null, superAdmin);
		changes.add(new FieldChange("password", null, "(set)"));
		if (!granted.isEmpty()) {
			FieldChange.addIfChanged(changes, "permissions", null, String.join(", ", granted));
		}
		audit(actor, "created", id, username, changes);
		return getUser(id);
	}

	/**
	 * Saves the user. {@code expectedVersion} null means "whatever is current" (no optimistic check).
	 */
	@Transactional
	public User updateUser(long id, @Nullable Integer expectedVersion, UserInput input) {
		Actor actor = actors.current();
		User current = getUser(id);
		if (expectedVersion != null && expectedVersion != current.version()) {
			throw new StaleVersionException("The user");
		}
		grants.requireMayChange(actor, current, AccountChange.EDIT);
		FieldErrors errors = new FieldErrors();
		// a value sent back unchanged is kept as it is, even one saved before today's rules (a GET can be PUT back)
		String username = unchanged(input.username(), current.username()) ? current.username()
				: username(errors, input.username(), id);
		String firstname = unchanged(input.firstname(), current.firstname()) ? current.firstname()
				: Validation.optional(errors, "firstname", "Firstname", input.firstname(), 255);
		String lastname = unchanged(input.lastname(), current.lastname()) ? current.lastname()
				: Validation.optional(errors, "lastname", "Lastname", input.lastname(), 255);
		String email = unchanged(input.email(), current.email()) ? current.email()
				: Validation.email(errors, input.email());
		boolean newPassword = input.password() != null && !input.password().isEmpty();
		if (newPassword) {
			String problem = PasswordRules.problemWith(input.password());
			if (problem != null) {
				errors.add("password", problem);
			}
		}
		if (current.serviceAccount()) {
			refuseWhatBelongsToTheClient(errors, current, username, newPassword);
		}
		Set<String> before = users.directPermissions(id);
		Set<String> after = input.permissions() == null ? before : grants.known(errors, input.permissions());
		errors.throwIfAny();
		boolean active = input.active() == null ? current.active() : input.active();
		boolean superAdmin = input.superAdmin() == null ? current.superAdmin() : input.superAdmin();
		if (superAdmin != current.superAdmin() && !actor.superAdmin()) {
			throw new ForbiddenException("Only a super admin can change the super admin flag.");
		}
		grants.requireHeld(actor, Grants.added(before, after));
		if (current.superAdmin() && current.active() && (!superAdmin || !active)) {
			requireAnotherActiveSuperAdmin(id, !superAdmin ? "super_admin" : "active",
					!superAdmin ? "demoted" : "deactivated");
		}
		User changed = new User(id, username, firstname, lastname, email, active, superAdmin, current.version(),
				current.createdAt(), current.updatedAt(), current.serviceAccount());
		if (!newPassword && after.equals(before) && sameFields(changed, current)) {
			// nothing to save: the version (the ETag) stays, and nothing is audited
			return current;
		}
		boolean saved;
		try {
			saved = users.update(changed, current.version(),
					newPassword ? passwordEncoder.encode(input.password()) : null);
		}
		catch (DuplicateKeyException ex) {
			throw usernameTaken(ex);
		}
		if (!saved) {
			throw new StaleVersionException("The user");
		}
		if (!after.equals(before)) {
			users.replaceDirectPermissions(id, after);
		}
		List<FieldChange> changes = new ArrayList<>();
		FieldChange.addIfChanged(changes, "username", current.username(), username);
		FieldChange.addIfChanged(changes, "firstname", current.firstname(), firstname);
		FieldChange.addIfChanged(changes, "lastname", current.lastname(), lastname);
		FieldChange.addIfChanged(changes, "email", current.email(), email);
		FieldChange.addIfChanged(changes, "active", current.active(), active);
		FieldChange.addIfChanged(changes, "super_admin", current.superAdmin(), superAdmin);
		if (newPassword) {
			changes.add(new FieldChange("password", null, "(changed)"));
		}
		FieldChange.addIfChanged(changes, "permissions", String.join(", ", before), String.join(", ", after));
		audit(actor, "updated", id, username, changes);
		return getUser(id);
	}

	/** Replaces the user's direct permissions (group permissions are untouched). */
	@Transactional
	public User setUserPermissions(long id, Collection<String> names) {
		return updateUser(id, null, new UserInput(null, null, null, null, null, null, null, new HashSet<>(names)));
	}

	@Transactional
	public void deleteUser(long id) {
		Actor actor = actors.current();
		User current = getUser(id);
		if (id == actor.id()) {
			throw new ForbiddenException("You cannot delete your own account.");
		}
		grants.requireMayChange(actor, current, AccountChange.DELETE);
		if (current.serviceAccount()) {
			// its client still points at it; deleting the client deactivates it instead
			throw new ConflictException("\"" + current.username() + "\" is the service account of the client \""
					+ clientName(current) + "\". Delete the client instead; that deactivates its service account.");
		}
		if (current.superAdmin() && current.active()) {
			List<Long> superAdmins = users.lockActiveSuperAdmins();
			if (superAdmins.contains(id) && superAdmins.size() <= 1) {
				throw new ForbiddenException("The last active super admin cannot be deleted.");
			}
		}
		users.delete(id);
		audit(actor, "deleted", id, current.username(), List.of(new FieldChange("username", current.username(), null)));
	}

	/**
	 * Changes the signed-in user's own password, which needs the current one.
	 * @throws ValidationException under {@code current_password}, {@code password} or {@code password_confirmation}
	 */
	@Transactional
	public void changeOwnPassword(@Nullable String currentPassword, @Nullable String password,
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
		audit(actor, "password_changed", actor.id(), actor.username(),
				List.of(new FieldChange("password", null, "(changed)")));
	}

	/**
	 * The client of each service account among these users, by account id (one query, none when there is no service
	 * account among them).
	 */
	@Transactional(readOnly = true)
	public Map<Long, ServiceAccountClients.Client> clientsOf(Collection<User> users) {
		List<Long> ids = users.stream().filter(User::serviceAccount).map(User::id).toList();
		return ids.isEmpty() ? Map.of() : serviceAccountClients.clientsOf(ids);
	}

	/** A service account's username is {@code svc-<client id>} and it never signs in: both belong to its client. */
	private void refuseWhatBelongsToTheClient(FieldErrors errors, User current, String username, boolean newPassword) {
		if (!errors.has("username") && !username.equals(current.username())) {
			errors.add("username", "The username of a service account is set by its client \"" + clientName(current)
					+ "\".");
		}
		if (newPassword) {
			errors.add("password", "A service account never signs in, so it has no password.");
		}
	}

	private String clientName(User serviceAccount) {
		ServiceAccountClients.Client client = clientsOf(List.of(serviceAccount)).get(serviceAccount.id());
		return client == null ? "(unknown)" : client.name();
	}

	private static boolean sameFields(User a, User b) {
		return a.username().equals(b.username()) && a.firstname().equals(b.firstname())
				&& a.lastname().equals(b.lastname()) && a.email().equals(b.email()) && a.active() == b.active()
				&& a.superAdmin() == b.superAdmin();
	}

	/** Null (left out) or, trimmed, what is stored. */
	static boolean unchanged(@Nullable String value, String current) {
		return value == null || value.trim().equals(current);
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
		else if (users.usernameTaken(AccountKeys.of(username), exceptId)) {
			errors.add("username", USERNAME_TAKEN);
		}
		else if (users.skeletonTaken(Usernames.skeleton(username), exceptId)) {
			errors.add("username", USERNAME_LOOKALIKE);
		}
		return username;
	}

	/** A unique index refused the row: which one says whether the name itself or a look-alike was there first. */
	private static ValidationException usernameTaken(DuplicateKeyException ex) {
		boolean lookalike = String.valueOf(ex.getMessage()).toLowerCase(java.util.Locale.ROOT)
			.contains("account_username_skeleton_uk");
		return ValidationException.of("username", lookalike ? USERNAME_LOOKALIKE : USERNAME_TAKEN);
	}

	private void requireAnotherActiveSuperAdmin(long id, String field, String verb) {
		List<Long> superAdmins = users.lockActiveSuperAdmins();
		if (superAdmins.contains(id) && superAdmins.size() <= 1) {
			throw ValidationException.of(field, "The last active super admin cannot be " + verb + ".");
		}
	}

	private void audit(Actor actor, String action, long id, String name, List<FieldChange> changes) {
		if (changes.isEmpty()) {
			return;
		}
		events.publishEvent(new AuditableChange(actor.id(), actor.username(), action, SUBJECT, Long.toString(id),
				name, changes));
	}

}
