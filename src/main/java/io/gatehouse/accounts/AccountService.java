package io.gatehouse.accounts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.gatehouse.accounts.Grants.AccountChange;
import io.gatehouse.api.ConflictException;
import io.gatehouse.api.FieldErrors;
import io.gatehouse.api.ForbiddenException;
import io.gatehouse.api.NotFoundException;
import io.gatehouse.api.Page;
import io.gatehouse.api.PageQuery;
import io.gatehouse.api.StaleVersionException;
import io.gatehouse.api.ValidationException;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.FieldChange;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.Topics;
import io.gatehouse.signin.AccountLookup;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Users and permissions. Every change is made by the signed-in user (see {@link Actors}) and checked here, whoever
 * calls: nobody grants a permission they do not hold; nobody changes or deletes another account that holds a
 * permission they do not hold, and only a super admin makes, changes or deletes a super admin; the last active super
 * admin stays; nobody deletes themselves; a service account's username, password and deletion belong to its client.
 * Broken input is a {@link ValidationException} (nothing written), a broken rule a {@link ForbiddenException},
 * deleting a service account a {@link ConflictException}, an unknown id a {@link NotFoundException}, a stale version
 * a {@link StaleVersionException}. Each change is audited in the transaction that makes it; a password or its hash
 * never leaves this module.
 */
@Service
public class AccountService {

	/** The columns a user list can be ordered by. */
	public static final Set<String> USER_ORDERABLE = JdbcUserRepository.ORDERABLE.keySet();

	static final String SUBJECT = "user";

	private final JdbcUserRepository users;

	private final JdbcGroupRepository groups;

	private final AccountLookup signIns;

	private final JdbcPermissionRepository permissions;

	private final Actors actors;

	private final Grants grants;

	private final UserFields fields;

	private final PasswordEncoder passwordEncoder;

	private final AuditTrail audit;

	private final ServiceAccounts serviceAccounts;

	private final ChangeSignals signals;

	AccountService(JdbcUserRepository users, JdbcGroupRepository groups, AccountLookup signIns,
			JdbcPermissionRepository permissions, Actors actors, Grants grants, UserFields fields,
			PasswordEncoder passwordEncoder, AuditTrail audit, ServiceAccounts serviceAccounts, ChangeSignals signals) {
		this.signals = signals;
		this.users = users;
		this.groups = groups;
		this.signIns = signIns;
		this.permissions = permissions;
		this.actors = actors;
		this.grants = grants;
		this.fields = fields;
		this.passwordEncoder = passwordEncoder;
		this.audit = audit;
		this.serviceAccounts = serviceAccounts;
	}

	@Transactional(readOnly = true)
	public Page<User> findUsers(PageQuery query) {
		return users.findPage(query);
	}

	/** How many accounts are people (not a client's service account), active or not: the dashboard's figure. */
	@Transactional(readOnly = true)
	public long countPeople() {
		return users.countPeople();
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
		return groups.groupsOf(getUser(userId).id());
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
		UserFields.Fields user = fields.forCreate(errors, input);
		Set<String> granted = grants.known(errors, input.permissions() == null ? Set.of() : input.permissions());
		errors.throwIfAny();
		if (user.superAdmin() && !actor.superAdmin()) {
			throw new ForbiddenException("Only a super admin can make a user a super admin.");
		}
		grants.requireHeld(actor, granted);
		long id;
		try {
			id = users.insert(user.username(), user.firstname(), user.lastname(), user.email(), user.active(),
					user.superAdmin(), passwordEncoder.encode(input.password()));
		}
		catch (DuplicateKeyException ex) {
			// another request took the name, or one that looks like it, after the checks above
			throw UserFields.usernameTaken(ex);
		}
		users.replaceDirectPermissions(id, granted);
		List<FieldChange> changes = user.changesFrom(null);
		changes.add(new FieldChange("password", null, "(set)"));
		if (!granted.isEmpty()) {
			FieldChange.addIfChanged(changes, "permissions", null, String.join(", ", granted));
		}
		audit.record(actor.auditId(), actor.username(), "created", SUBJECT, Long.toString(id), user.username(),
				changes);
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
		UserFields.Fields user = fields.forUpdate(errors, current, input);
		boolean newPassword = UserFields.isNewPassword(input);
		if (current.serviceAccount()) {
			serviceAccounts.refuseWhatBelongsToTheClient(errors, current, user.username(), newPassword);
		}
		Set<String> before = users.directPermissions(id);
		Set<String> after = input.permissions() == null ? before : grants.known(errors, input.permissions());
		errors.throwIfAny();
		if (user.superAdmin() != current.superAdmin() && !actor.superAdmin()) {
			throw new ForbiddenException("Only a super admin can change the super admin flag.");
		}
		grants.requireHeld(actor, Grants.added(before, after));
		if (current.superAdmin() && current.active() && (!user.superAdmin() || !user.active())
				&& users.isLastActiveSuperAdmin(id)) {
			throw !user.superAdmin()
					? ValidationException.of("super_admin", "The last active super admin cannot be demoted.")
					: ValidationException.of("active", "The last active super admin cannot be deactivated.");
		}
		if (!newPassword && after.equals(before) && user.sameAs(current)) {
			// nothing to save: the version (the ETag) stays, and nothing is audited
			return current;
		}
		boolean saved;
		try {
			saved = users.update(user.over(current), current.version(),
					newPassword ? passwordEncoder.encode(input.password()) : null);
		}
		catch (DuplicateKeyException ex) {
			throw UserFields.usernameTaken(ex);
		}
		if (!saved) {
			throw new StaleVersionException("The user");
		}
		if (!after.equals(before)) {
			users.replaceDirectPermissions(id, after);
		}
		List<FieldChange> changes = user.changesFrom(current);
		if (newPassword) {
			changes.add(new FieldChange("password", null, "(changed)"));
		}
		FieldChange.addIfChanged(changes, "permissions", String.join(", ", before), String.join(", ", after));
		audit.record(actor.auditId(), actor.username(), "updated", SUBJECT, Long.toString(id), user.username(),
				changes);
		signals.publish(Topics.ACCOUNT, Long.toString(id));
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
					+ serviceAccounts.clientName(current)
					+ "\". Delete the client instead; that deactivates its service account.");
		}
		if (current.superAdmin() && current.active() && users.isLastActiveSuperAdmin(id)) {
			throw new ForbiddenException("The last active super admin cannot be deleted.");
		}
		users.delete(id);
		signals.publish(Topics.ACCOUNT, Long.toString(id));
		audit.record(actor.auditId(), actor.username(), "deleted", SUBJECT, Long.toString(id), current.username(),
				List.of(new FieldChange("username", current.username(), null)));
	}

	/** The direct permissions of every service account that has any, by account id, in one query. */
	@Transactional(readOnly = true)
	public Map<Long, Set<String>> serviceAccountPermissions() {
		return users.serviceAccountPermissions();
	}

	/**
	 * Gives each of these service accounts exactly these direct permissions, under {@link #updateUser}'s rules for
	 * them (nobody grants what they do not hold, nor changes an account holding what they do not hold), with one
	 * audit record per account changed. Reads the state once for all of them rather than once per account, for a
	 * configuration document of thousands of clients.
	 *
	 * @return the accounts whose permissions changed
	 * @throws ValidationException under {@code permissions} naming an unknown permission, or under
	 *     {@code service_account} when an id is not a service account's
	 */
	@Transactional
	public Set<Long> setServiceAccountPermissions(Map<Long, Set<String>> wanted) {
		Actor actor = actors.current();
		FieldErrors errors = new FieldErrors();
		Set<String> named = new HashSet<>();
		wanted.values().forEach(named::addAll);
		grants.known(errors, named);
		Map<Long, String> usernames = users.serviceAccountNames(wanted.keySet());
		if (!usernames.keySet().containsAll(wanted.keySet())) {
			errors.add("service_account", "Only the permissions of service accounts are set this way.");
		}
		errors.throwIfAny();
		Map<Long, Set<String>> before = users.serviceAccountPermissions();
		Map<Long, Set<String>> changing = new TreeMap<>();
		for (Map.Entry<Long, Set<String>> entry : wanted.entrySet()) {
			long id = entry.getKey();
			Set<String> now = before.getOrDefault(id, Set.of());
			Set<String> after = new TreeSet<>(entry.getValue());
			if (now.equals(after)) {
				continue;
			}
			if (!actor.superAdmin()) {
				grants.requireMayChange(actor, getUser(id), AccountChange.EDIT);
			}
			grants.requireHeld(actor, Grants.added(now, after));
			changing.put(id, after);
			List<FieldChange> changes = new ArrayList<>();
			FieldChange.addIfChanged(changes, "permissions", String.join(", ", now), String.join(", ", after));
			audit.record(actor.auditId(), actor.username(), "updated", SUBJECT, Long.toString(id),
					usernames.get(id), changes);
			signals.publish(Topics.ACCOUNT, Long.toString(id));
		}
		// written together once every account passed: a statement per thousand accounts, not four per account
		users.replaceDirectPermissionsOfAll(changing);
		return new TreeSet<>(changing.keySet());
	}

	/** The group names of every service account in any group, by account id, in one query. */
	@Transactional(readOnly = true)
	public Map<Long, Set<String>> serviceAccountGroups() {
		return users.serviceAccountGroups();
	}

	/**
	 * The client of each service account among these users, by account id (one query, none when there is no service
	 * account among them).
	 */
	@Transactional(readOnly = true)
	public Map<Long, ServiceAccountClients.Client> clientsOf(Collection<User> users) {
		return serviceAccounts.clientsOf(users);
	}

}
