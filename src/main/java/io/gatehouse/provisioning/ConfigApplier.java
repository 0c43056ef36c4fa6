package io.gatehouse.provisioning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.gatehouse.accounts.AccountService;
import io.gatehouse.accounts.Group;
import io.gatehouse.accounts.GroupInput;
import io.gatehouse.accounts.GroupService;
import io.gatehouse.api.ConflictException;
import io.gatehouse.api.ForbiddenException;
import io.gatehouse.api.ValidationException;
import io.gatehouse.clients.AuthClient;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.database.BulkChanges;
import io.gatehouse.database.NameKeys;
import io.gatehouse.signin.Permissions;
import io.gatehouse.signin.SignedInUser;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Converges the server to a configuration document, in one transaction: every change goes through the services the
 * console uses (so their rules hold: names, redirect policy, nobody grants what they do not hold, protected groups),
 * and the first object that breaks a rule rolls everything back, named in the answer. A dry run makes the same
 * changes and rolls them back, so it answers exactly what applying would do, refusals included. The caller also
 * needs the console's permission for each kind of change it makes (creating a client takes
 * {@code create-auth_clients}, and so on). The order frees names before they are taken: pruning first, then groups
 * (which service accounts may join), then clients, then what their service accounts hold.
 * <p>
 * The current state is read in a handful of queries, and an object that is already as the document says costs no
 * statement at all, so applying a large document again is quick. New clients are created in batches of
 * {@value #PROGRESS_EVERY} (one read of what they may collide with, batched inserts); changed ones are written one
 * by one. The apply is a {@link BulkChanges bulk change}: its audit records are written in batches before the
 * commit, and every node drops its caches once after it.
 */
@Component
class ConfigApplier {

	/** How often the command line hears how far it got. */
	static final int PROGRESS_EVERY = 1000;

	private final AuthClientService clients;

	private final AccountService accounts;

	private final GroupService groups;

	private final TransactionTemplate transactions;

	ConfigApplier(AuthClientService clients, AccountService accounts, GroupService groups,
			PlatformTransactionManager transactionManager) {
		this.clients = clients;
		this.accounts = accounts;
		this.groups = groups;
		this.transactions = new TransactionTemplate(transactionManager);
	}

	/** Told how many of the document's clients are done, every {@value #PROGRESS_EVERY} and at the end. */
	interface Progress {

		Progress NONE = (done, total) -> {
		};

		void clients(int done, int total);

	}

	/**
	 * Applies the document, or with {@code dryRun} only says what applying would do.
	 *
	 * @param prune also delete the clients and groups the document's sections do not list
	 * @throws InvalidConfigException (nothing written) naming the object that cannot be applied
	 * @throws ForbiddenException when the caller lacks a permission a change needs, naming the object
	 */
	ConfigReport apply(ConfigDocument document, boolean dryRun, boolean prune, Progress progress) {
		ConfigShape.check(document);
		return transactions.execute(status -> {
			// thousands of rows: audit records in batches at the commit, one signal that drops every node's caches
			BulkChanges.beginInThisTransaction();
			ConfigReport report = new Run(document, prune, progress).run(dryRun);
			if (dryRun) {
				status.setRollbackOnly();
			}
			return report;
		});
	}

	/** One application of one document: what is on the server now, and what changed so far. */
	private final class Run {

		private final ConfigDocument document;

		private final boolean prune;

		private final Progress progress;

		private final Set<String> held = SignedInUser.currentPermissions();

		private final Map<String, ChangeBuilder> changes = new LinkedHashMap<>();

		private int unchanged;

		Run(ConfigDocument document, boolean prune, Progress progress) {
			this.document = document;
			this.prune = prune;
			this.progress = progress;
		}

		ConfigReport run(boolean dryRun) {
			Map<String, AuthClient> live = new HashMap<>();
			clients.allLive().forEach(client -> live.put(client.id(), client));
			Map<String, Group> groupsByKey = new HashMap<>();
			groups.allGroups().forEach(group -> groupsByKey.put(NameKeys.of(group.name()), group));
			if (prune) {
				prune(live, groupsByKey);
			}
			if (document.groups() != null) {
				applyGroups(groupsByKey);
			}
			if (document.clients() != null) {
				applyClients(live);
			}
			int created = 0;
			int updated = 0;
			int deleted = 0;
			List<ConfigReport.Change> list = new ArrayList<>();
			for (ChangeBuilder change : changes.values()) {
				switch (change.action) {
					case "created" -> created++;
					case "deleted" -> deleted++;
					default -> updated++;
				}
				list.add(change.build(dryRun));
			}
			return new ConfigReport(dryRun, list.isEmpty() ? ConfigReport.UNCHANGED : ConfigReport.CHANGED, created,
					updated, deleted, unchanged, list);
		}

		private void prune(Map<String, AuthClient> live, Map<String, Group> groupsByKey) {
			if (document.clients() != null) {
				Set<String> wanted = new TreeSet<>();
				document.clients().forEach(client -> wanted.add(client.clientId()));
				for (AuthClient client : List.copyOf(live.values())) {
					if (!wanted.contains(client.id())) {
						String object = "client \"" + client.id() + "\"";
						require(Permissions.DELETE_AUTH_CLIENTS, "delete the " + object);
						guarded("clients", object, () -> {
							clients.delete(client.id());
							return null;
						});
						live.remove(client.id());
						change("client", client.id(), client.name(), "deleted");
					}
				}
			}
			if (document.groups() != null) {
				Set<String> wanted = new TreeSet<>();
				document.groups().forEach(group -> wanted.add(NameKeys.of(group.name())));
				for (Map.Entry<String, Group> entry : List.copyOf(groupsByKey.entrySet())) {
					if (!wanted.contains(entry.getKey())) {
						Group group = entry.getValue();
						String object = "group \"" + group.name() + "\"";
						require(Permissions.DELETE_GROUPS, "delete the " + object);
						guarded("groups", object, () -> {
							groups.deleteGroup(group.id());
							return null;
						});
						groupsByKey.remove(entry.getKey());
						change("group", group.name(), group.name(), "deleted");
					}
				}
			}
		}

		private void applyGroups(Map<String, Group> groupsByKey) {
			Map<Long, Set<String>> permissions = groups.allGroupPermissions();
			List<ConfigDocument.Group> wanted = document.groups();
			for (int i = 0; i < wanted.size(); i++) {
				ConfigDocument.Group group = wanted.get(i);
				String name = group.name().trim();
				String description = group.description() == null ? "" : group.description();
				Set<String> granted = new TreeSet<>(ConfigShape.orEmpty(group.permissions()));
				String path = "groups." + i;
				String object = "group \"" + name + "\"";
				Group current = groupsByKey.get(NameKeys.of(name));
				if (current == null) {
					require(Permissions.CREATE_GROUPS, "create the " + object);
					Group created = guarded(path, object,
							() -> groups.createGroup(new GroupInput(name, description, granted)));
					groupsByKey.put(NameKeys.of(created.name()), created);
					change("group", created.name(), created.name(), "created");
					continue;
				}
				List<String> fields = new ArrayList<>();
				if (!current.name().equals(name)) {
					fields.add("name");
				}
				if (!current.description().equals(description.trim())) {
					fields.add("description");
				}
				if (!permissions.getOrDefault(current.id(), Set.of()).equals(granted)) {
					fields.add("permissions");
				}
				if (fields.isEmpty()) {
					unchanged++;
					continue;
				}
				require(Permissions.EDIT_GROUPS, "change the " + object);
				Group updated = guarded(path, object,
						() -> groups.updateGroup(current.id(), null, new GroupInput(name, description, granted)));
				if (updated.version() == current.version()) {
					unchanged++;
					continue;
				}
				groupsByKey.put(NameKeys.of(updated.name()), updated);
				change("group", updated.name(), updated.name(), "updated").fields.addAll(fields);
			}
		}

		private void applyClients(Map<String, AuthClient> live) {
			Map<Long, Set<String>> accountPermissions = accounts.serviceAccountPermissions();
			Map<Long, Set<String>> accountGroups = accounts.serviceAccountGroups();
			Map<String, Group> groupsByKey = new HashMap<>();
			groups.allGroups().forEach(group -> groupsByKey.put(NameKeys.of(group.name()), group));
			Memberships memberships = new Memberships();
			Map<Long, Set<String>> permissionsWanted = new TreeMap<>();
			Creations creations = new Creations();
			List<ConfigDocument.Client> wanted = document.clients();
			for (int i = 0; i < wanted.size(); i++) {
				ConfigDocument.Client client = wanted.get(i);
				String path = "clients." + i;
				String object = "client \"" + client.clientId() + "\"";
				AuthClientDraft draft = ConfigShape.draft(client);
				AuthClient current = live.get(client.clientId());
				if (current == null) {
					require(Permissions.CREATE_AUTH_CLIENTS, "create the " + object);
					// written in batches; the report keeps the document's order
					change("client", client.clientId(), draft.name().trim(), "created");
					creations.add(path, object, client, draft);
				}
				else {
					List<String> fields = ConfigShape.changedFields(current, draft);
					AuthClient result = current;
					if (!fields.isEmpty()) {
						require(Permissions.EDIT_AUTH_CLIENTS, "change the " + object);
						result = guarded(path, object, () -> clients.update(current.id(), null, draft));
					}
					if (result.version() != current.version()) {
						change("client", result.id(), result.name(), "updated").fields.addAll(fields);
					}
					boolean changedAccount = serviceAccount(path, object, client, result, accountPermissions,
							accountGroups, groupsByKey, memberships, permissionsWanted);
					if (!changedAccount && result.version() == current.version()) {
						unchanged++;
					}
				}
				if ((i + 1) % PROGRESS_EVERY == 0) {
					creations.write(created -> serviceAccount(created.path(), created.object(), created.client(),
							created.result(), accountPermissions, accountGroups, groupsByKey, memberships,
							permissionsWanted));
					progress.clients(i + 1, wanted.size());
				}
			}
			creations.write(created -> serviceAccount(created.path(), created.object(), created.client(),
					created.result(), accountPermissions, accountGroups, groupsByKey, memberships,
					permissionsWanted));
			// every service account's permissions in one call: the state is read once, not once per account
			if (!permissionsWanted.isEmpty()) {
				guarded("clients", "service accounts", () -> accounts.setServiceAccountPermissions(permissionsWanted));
			}
			memberships.apply();
			progress.clients(wanted.size(), wanted.size());
		}

		/** Notes what the client's service account should hold and join; true when that changes anything. */
		private boolean serviceAccount(String path, String object, ConfigDocument.Client client, AuthClient result,
				Map<Long, Set<String>> accountPermissions, Map<Long, Set<String>> accountGroups,
				Map<String, Group> groupsByKey, Memberships memberships, Map<Long, Set<String>> permissionsWanted) {
			ConfigDocument.ServiceAccount account = client.serviceAccount();
			Long accountId = result.serviceAccountId();
			if (account == null || accountId == null) {
				return false;
			}
			boolean changed = wantPermissions(object, result, accountId, account,
					accountPermissions.getOrDefault(accountId, Set.of()), permissionsWanted);
			changed |= memberships.want(path, object, result, accountId, account,
					accountGroups.getOrDefault(accountId, Set.of()), groupsByKey);
			return changed;
		}

		/** A client of the document that does not exist yet, and once created, what it became. */
		private record Creation(String path, String object, ConfigDocument.Client client, AuthClient result) {
		}

		/**
		 * The new clients gathered since the last write, created in one call (a batch) with the console's rules:
		 * the first that breaks one is named by its path, as if it had been created alone.
		 */
		private final class Creations {

			private final List<String> paths = new ArrayList<>();

			private final List<String> objects = new ArrayList<>();

			private final List<ConfigDocument.Client> documented = new ArrayList<>();

			private final List<AuthClientService.NewClient> batch = new ArrayList<>();

			void add(String path, String object, ConfigDocument.Client client, AuthClientDraft draft) {
				paths.add(path);
				objects.add(object);
				documented.add(client);
				batch.add(new AuthClientService.NewClient(client.clientId(), draft, client.secretHash()));
			}

			/** Creates the gathered clients, then hands each to {@code then} (for its service account). */
			void write(Consumer<Creation> then) {
				if (batch.isEmpty()) {
					return;
				}
				List<IssuedSecret> issued;
				try {
					issued = guarded("clients", "clients", () -> clients.createAll(batch));
				}
				catch (AuthClientService.BatchRefusal refusal) {
					int index = refusal.index();
					throw guarded(paths.get(index), objects.get(index), refusal.refusal());
				}
				for (int i = 0; i < issued.size(); i++) {
					AuthClient result = issued.get(i).client();
					change("client", result.id(), result.name(), "created").secret = issued.get(i).secret();
					then.accept(new Creation(paths.get(i), objects.get(i), documented.get(i), result));
				}
				paths.clear();
				objects.clear();
				documented.clear();
				batch.clear();
			}

		}

		/** Notes the service account's permissions to set, when the document's differ; true when they do. */
		private boolean wantPermissions(String object, AuthClient client, long accountId,
				ConfigDocument.ServiceAccount account, Set<String> current, Map<Long, Set<String>> wanted) {
			Set<String> permissions = new TreeSet<>(ConfigShape.orEmpty(account.permissions()));
			if (permissions.equals(current)) {
				return false;
			}
			require(Permissions.EDIT_USERS, "change the service account of the " + object);
			wanted.put(accountId, permissions);
			change("client", client.id(), client.name(), "updated").fields.add("service_account.permissions");
			return true;
		}

		/** Group changes gathered over all clients, then made group by group: one change per group. */
		private final class Memberships {

			private final Map<Long, Group> touched = new TreeMap<>();

			private final Map<Long, Set<Long>> joining = new HashMap<>();

			private final Map<Long, Set<Long>> leaving = new HashMap<>();

			/** Notes the groups the service account joins and leaves; true when there are any. */
			boolean want(String path, String object, AuthClient client, long accountId,
					ConfigDocument.ServiceAccount account, Set<String> currentNames, Map<String, Group> groupsByKey) {
				Set<String> wantedKeys = new TreeSet<>();
				for (String name : ConfigShape.orEmpty(account.groups())) {
					String key = NameKeys.of(name);
					if (!groupsByKey.containsKey(key)) {
						throw InvalidConfigException.of(path + ".service_account.groups", object,
								"The group \"" + name.trim() + "\" is neither in the document nor on the server.");
					}
					wantedKeys.add(key);
				}
				Set<String> currentKeys = new TreeSet<>();
				currentNames.forEach(name -> currentKeys.add(NameKeys.of(name)));
				boolean changed = false;
				for (String key : wantedKeys) {
					if (!currentKeys.contains(key)) {
						note(joining, groupsByKey.get(key), accountId);
						changed = true;
					}
				}
				for (String key : currentKeys) {
					if (!wantedKeys.contains(key) && groupsByKey.containsKey(key)) {
						note(leaving, groupsByKey.get(key), accountId);
						changed = true;
					}
				}
				if (changed) {
					change("client", client.id(), client.name(), "updated").fields.add("service_account.groups");
				}
				return changed;
			}

			private void note(Map<Long, Set<Long>> side, Group group, long accountId) {
				touched.put(group.id(), group);
				side.computeIfAbsent(group.id(), id -> new TreeSet<>()).add(accountId);
			}

			void apply() {
				for (Group group : touched.values()) {
					String object = "group \"" + group.name() + "\"";
					require(Permissions.EDIT_GROUPS, "change the members of the " + object);
					guarded("groups", object, () -> {
						Set<Long> members = new TreeSet<>(groups.memberIdsOf(group.id()));
						members.addAll(joining.getOrDefault(group.id(), Set.of()));
						members.removeAll(leaving.getOrDefault(group.id(), Set.of()));
						return groups.setMembers(group.id(), members);
					});
				}
			}

		}

		private void require(String permission, String doing) {
			if (!held.contains(permission)) {
				throw new ForbiddenException("You need the permission \"" + permission + "\" to " + doing + ".");
			}
		}

		private ChangeBuilder change(String kind, String key, String name, String action) {
			ChangeBuilder change = changes.computeIfAbsent(kind + ":" + key,
					k -> new ChangeBuilder(kind, key, name, action));
			change.name = name;
			return change;
		}

	}

	/**
	 * Runs one service call for one object of the document, naming the object in any refusal: a broken rule is a
	 * 400 whose {@code errors} are keyed by the object's path ({@code clients.3.name}), and a refusal keeps its
	 * status (403, 409) with the object named first.
	 */
	private static <T> T guarded(String path, String object, Supplier<T> call) {
		try {
			return call.get();
		}
		catch (ValidationException ex) {
			throw guarded(path, object, ex);
		}
		catch (ForbiddenException ex) {
			throw new ForbiddenException(object + ": " + ex.getMessage());
		}
		catch (ConflictException ex) {
			throw new ConflictException(object + ": " + ex.getMessage());
		}
	}

	/** The refusal of a broken rule, keyed by the object's path. */
	private static InvalidConfigException guarded(String path, String object, ValidationException ex) {
		Map<String, List<String>> errors = new LinkedHashMap<>();
		ex.errors().forEach((field, messages) -> errors.put(path + "." + ConfigShape.documentField(field),
				messages));
		String first = ex.errors().values().stream().flatMap(List::stream).findFirst().orElse(ex.getMessage());
		return new InvalidConfigException(object + ": " + first, errors);
	}

	private static final class ChangeBuilder {

		private final String kind;

		private final String key;

		private final String action;

		private final Set<String> fields = new LinkedHashSet<>();

		private String name;

		private @Nullable String secret;

		ChangeBuilder(String kind, String key, String name, String action) {
			this.kind = kind;
			this.key = key;
			this.name = name;
			this.action = action;
		}

		ConfigReport.Change build(boolean dryRun) {
			// a dry run rolls the new secret back with everything else: showing it would show a secret nobody has
			return new ConfigReport.Change(kind, key, name, action, List.copyOf(fields), dryRun ? null : secret);
		}

	}

}
