package io.gatehouse.clients;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.accounts.ServiceAccounts;
import io.gatehouse.api.ConflictException;
import io.gatehouse.api.FieldErrors;
import io.gatehouse.api.NotFoundException;
import io.gatehouse.api.Page;
import io.gatehouse.api.PageQuery;
import io.gatehouse.api.StaleVersionException;
import io.gatehouse.api.ValidationException;
import io.gatehouse.audit.AuditLog;
import io.gatehouse.audit.AuditRecord;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.AuditableChange;
import io.gatehouse.audit.FieldChange;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.Topics;
import io.gatehouse.database.NameKeys;
import io.gatehouse.database.Timestamps;
import io.gatehouse.secrets.Secrets;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registers, changes and removes auth clients. Every change is validated against {@link AuthClientRules} first,
 * written in one transaction with its audit record, and refused when the caller's copy is stale.
 * No method returns a secret except {@link #create}, {@link #addSecret} and {@link #regenerateSecret}, each exactly
 * once.
 */
@Service
public class AuthClientService {

	static final String AUDIT_TYPE = "auth_client";

	/** The most secrets a client holds active at once: enough for any rotation, and a bound on what is cached. */
	static final int MAX_ACTIVE_SECRETS = 10;

	static final Duration MAX_KEEP_CURRENT = Duration.ofDays(30);

	private final JdbcAuthClientRepository repository;

	private final AuditTrail audit;

	private final AuditLog auditLog;

	private final EveryIssuedTokens issuedTokens;

	private final ServiceAccounts serviceAccounts;

	private final ChangeSignals signals;

	private final JdbcClientSecretRepository secrets;

	private final ClientSecretCheck secretCheck;

	private final AuthClientSearch search;

	/** Clients whose use this node recorded in the last minute. */
	private final Cache<String, Boolean> recentlyUsed = Caffeine.newBuilder()
		.expireAfterWrite(Duration.ofMinutes(1))
		.maximumSize(100_000)
		.build();

	AuthClientService(JdbcAuthClientRepository repository, AuditTrail audit, AuditLog auditLog,
			EveryIssuedTokens issuedTokens, ServiceAccounts serviceAccounts, ChangeSignals signals,
			JdbcClientSecretRepository secrets, ClientSecretCheck secretCheck, AuthClientSearch search) {
		this.search = search;
		this.signals = signals;
		this.secrets = secrets;
		this.secretCheck = secretCheck;
		this.repository = repository;
		this.audit = audit;
		this.auditLog = auditLog;
		this.issuedTokens = issuedTokens;
		this.serviceAccounts = serviceAccounts;
	}

	@Transactional(readOnly = true)
	public Page<AuthClient> page(PageQuery query) {
		return search.page(query);
	}

	/** Every live client, by name (then id), in one query: for exporting the configuration. */
	@Transactional(readOnly = true)
	public List<AuthClient> allLive() {
		return repository.allLive();
	}

	/** How many clients are live (not deleted): the dashboard's figure. */
	@Transactional(readOnly = true)
	public long countLive() {
		return repository.countLive();
	}

	/** The live clients among these ids, in the order of {@code ids}; unknown and deleted ones are left out. */
	@Transactional(readOnly = true)
	public List<AuthClient> liveAmong(List<String> ids) {
		return repository.findLiveInOrder(ids);
	}

	/** The live client with this id; throws {@link NotFoundException} for unknown and deleted ones. */
	@Transactional(readOnly = true)
	public AuthClient get(String id) {
		return repository.findLive(id).orElseThrow(() -> new NotFoundException("Auth client"));
	}

	/** Creates the client and its secret; throws {@link ValidationException} and writes nothing on bad input. */
	@Transactional
	public IssuedSecret create(AuthClientDraft draft) {
		return create(draft, null);
	}

	/**
	 * {@link #create(AuthClientDraft)} on behalf of {@code actor}, the name the audit log records as who made the
	 * change (a registration request, a client); null means the signed-in user.
	 */
	@Transactional
	public IssuedSecret create(AuthClientDraft draft, @Nullable String actor) {
		return create(UUID.randomUUID().toString(), draft, null, actor);
	}

	/**
	 * Creates the client under the given {@code client_id}, so that the applications configured with it keep working
	 * when a configuration document is applied to a new server. A confidential client gets a new secret, returned
	 * this once, or, with {@code secretHash} (the SHA-256 of a secret, 64 lower-case hex digits, as stored), that
	 * secret, and then nothing is returned. Throws {@link ValidationException} under {@code client_id} for an id out
	 * of {@link AuthClientRules#checkId}'s rules or taken by any client, deleted ones included, and under
	 * {@code secret_hash} for a malformed hash, a hash for a public client, or one another secret already has.
	 */
	@Transactional
	public IssuedSecret create(String id, AuthClientDraft draft, @Nullable String secretHash) {
		FieldErrors idErrors = new FieldErrors();
		AuthClientRules.checkId(id, idErrors);
		if (!idErrors.has("client_id") && repository.idTaken(id)) {
			idErrors.add("client_id", "The client_id is taken by another client, or by a deleted one.");
		}
		AuthClientRules.checkSecretHash(secretHash, draft.publicClient(), idErrors);
		idErrors.throwIfAny();
		return create(id, draft, secretHash, null);
	}

	/** Called inside the public methods' transaction. */
	private IssuedSecret create(String id, AuthClientDraft draft, @Nullable String secretHash,
			@Nullable String actor) {
		Validated valid = validate(draft, id, null);
		Instant now = Timestamps.now();
		String name = draft.name().trim();
		Long serviceAccount = draft.grants().contains(GrantType.CLIENT_CREDENTIALS)
				? serviceAccounts.createFor(id, name) : null;
		AuthClient client = newClient(id, draft, valid, serviceAccount, now);
		try {
			repository.insert(client, NameKeys.of(client.name()));
		}
		catch (DuplicateKeyException ex) {
			throw nameTaken();
		}
		List<FieldChange> changes = new ArrayList<>();
		describe(changes, null, client);
		// a public client gets no secret, nor does one that authenticates with its keys
		String secret = null;
		if (client.authentication().usesSecret() && secretHash != null) {
			// the secret of a configuration document: only its hash was ever here, so the label shows the hash
			ClientSecret stored = new ClientSecret(UUID.randomUUID().toString(),
					"sha256:" + secretHash.substring(0, 8) + "…", now, null, null, null);
			try {
				secrets.insert(client.id(), stored, secretHash);
			}
			catch (DuplicateKeyException ex) {
				throw ValidationException.of("secret_hash", "Another secret already has this hash.");
			}
			changes.add(new FieldChange("secret", null, describe(stored)));
		}
		else if (client.authentication().usesSecret()) {
			secret = ClientSecrets.generate();
			ClientSecret stored = newSecret(secret, now, null);
			secrets.insert(client.id(), stored, Secrets.sha256(secret));
			changes.add(new FieldChange("secret", null, describe(stored)));
		}
		record(actor, "created", client, changes);
		signals.publish(Topics.CLIENT, client.id());
		return new IssuedSecret(client, secret);
	}

	/** A client for {@link #createAll}: what {@link #create(String, AuthClientDraft, String)} takes. */
	public record NewClient(String id, AuthClientDraft draft, @Nullable String secretHash) {
	}

	/**
	 * A client of a {@link #createAll} batch broke a rule: its position in the batch, and the refusal that
	 * {@link #create(String, AuthClientDraft, String)} would have thrown for it.
	 */
	public static final class BatchRefusal extends RuntimeException {

		private final int index;

		private final ValidationException refusal;

		BatchRefusal(int index, ValidationException refusal) {
			super(refusal.getMessage(), refusal, false, false);
			this.index = index;
			this.refusal = refusal;
		}

		public int index() {
			return index;
		}

		public ValidationException refusal() {
			return refusal;
		}

	}

	/**
	 * {@link #create(String, AuthClientDraft, String)} for many clients, with the same rules and audit records, for
	 * a configuration document: what exists is read in one query (ids, names, secret hashes of the whole batch) and
	 * the rows are written in JDBC batches. The names and ids must also differ within the batch. Throws
	 * {@link BatchRefusal} and writes nothing for the first client that breaks a rule. The secrets generated are
	 * returned once, in the order of the batch.
	 */
	@Transactional
	public List<IssuedSecret> createAll(List<NewClient> batch) {
		Set<String> ids = new HashSet<>();
		Set<String> nameKeys = new HashSet<>();
		Set<String> hashes = new HashSet<>();
		batch.forEach(client -> {
			ids.add(client.id());
			nameKeys.add(NameKeys.of(client.draft().name()));
			if (client.secretHash() != null) {
				hashes.add(client.secretHash());
			}
		});
		Set<String> taken = repository.takenIdsAndNameKeys(ids, nameKeys);
		Set<String> takenHashes = new HashSet<>(secrets.storedHashes(hashes));
		List<Validated> validated = new ArrayList<>(batch.size());
		for (int i = 0; i < batch.size(); i++) {
			NewClient client = batch.get(i);
			try {
				FieldErrors idErrors = new FieldErrors();
				AuthClientRules.checkId(client.id(), idErrors);
				if (!idErrors.has("client_id") && !taken.add("id:" + client.id())) {
					idErrors.add("client_id", "The client_id is taken by another client, or by a deleted one.");
				}
				AuthClientRules.checkSecretHash(client.secretHash(), client.draft().publicClient(), idErrors);
				idErrors.throwIfAny();
				// an audience may be a client of this batch (ids), wherever it stands in the batch
				Validated valid = validateNamed(client.draft(), client.id(), null,
						key -> taken.contains("name:" + key), ids::contains);
				taken.add("name:" + NameKeys.of(client.draft().name()));
				if (client.secretHash() != null && valid.authentication().usesSecret()
						&& !takenHashes.add(client.secretHash())) {
					throw ValidationException.of("secret_hash", "Another secret already has this hash.");
				}
				validated.add(valid);
			}
			catch (ValidationException ex) {
				throw new BatchRefusal(i, ex);
			}
		}
		List<Map.Entry<String, String>> needAccounts = new ArrayList<>();
		batch.forEach(client -> {
			if (client.draft().grants().contains(GrantType.CLIENT_CREDENTIALS)) {
				needAccounts.add(Map.entry(client.id(), client.draft().name().trim()));
			}
		});
		Iterator<Long> accounts = serviceAccounts.createAllFor(needAccounts).iterator();
		Instant now = Timestamps.now();
		List<AuthClient> created = new ArrayList<>(batch.size());
		List<JdbcClientSecretRepository.Stored> stored = new ArrayList<>();
		List<IssuedSecret> issued = new ArrayList<>(batch.size());
		List<List<FieldChange>> changes = new ArrayList<>(batch.size());
		for (int i = 0; i < batch.size(); i++) {
			NewClient draft = batch.get(i);
			Validated valid = validated.get(i);
			Long serviceAccount = draft.draft().grants().contains(GrantType.CLIENT_CREDENTIALS) ? accounts.next()
					: null;
			AuthClient client = newClient(draft.id(), draft.draft(), valid, serviceAccount, now);
			created.add(client);
			List<FieldChange> described = new ArrayList<>();
			describe(described, null, client);
			String secret = null;
			if (client.authentication().usesSecret() && draft.secretHash() != null) {
				ClientSecret secretRow = new ClientSecret(UUID.randomUUID().toString(),
						"sha256:" + draft.secretHash().substring(0, 8) + "…", now, null, null, null);
				stored.add(new JdbcClientSecretRepository.Stored(client.id(), secretRow, draft.secretHash()));
				described.add(new FieldChange("secret", null, describe(secretRow)));
			}
			else if (client.authentication().usesSecret()) {
				secret = ClientSecrets.generate();
				ClientSecret secretRow = newSecret(secret, now, null);
				stored.add(new JdbcClientSecretRepository.Stored(client.id(), secretRow, Secrets.sha256(secret)));
				described.add(new FieldChange("secret", null, describe(secretRow)));
			}
			changes.add(described);
			issued.add(new IssuedSecret(client, secret));
		}
		try {
			repository.insertAll(created);
			secrets.insertAll(stored);
		}
		catch (DuplicateKeyException ex) {
			// checked above in this transaction: only a concurrent change took a name, client_id or hash meanwhile
			throw new ConflictException("Another change took a name, client_id or secret of these clients meanwhile;"
					+ " nothing was written. Try again.");
		}
		for (int i = 0; i < created.size(); i++) {
			record(null, "created", created.get(i), changes.get(i));
			signals.publish(Topics.CLIENT, created.get(i).id());
		}
		return issued;
	}

	private static AuthClient newClient(String id, AuthClientDraft draft, Validated valid,
			@Nullable Long serviceAccount, Instant now) {
		return new AuthClient(id, draft.name().trim(), draft.grants(), valid.uris().redirects(),
				draft.publicClient(), draft.introspectOthers(), draft.requirePar(), valid.uris().postLogout(),
				draft.revokeTokensOnLogout(), draft.requireDpop(), serviceAccount, false, 1, now, now,
				valid.authentication(), draft.policy(), null);
	}

	/**
	 * Replaces name, grants, redirect URLs and flags; the secret is untouched. With an {@code expectedVersion}, throws
	 * {@link StaleVersionException} when someone else saved in between; null means "whatever is current".
	 */
	@Transactional
	public AuthClient update(String id, @Nullable Integer expectedVersion, AuthClientDraft draft) {
		return update(id, expectedVersion, draft, null);
	}

	/** {@link #update(String, Integer, AuthClientDraft)} on behalf of {@code actor} (null: the signed-in user). */
	@Transactional
	public AuthClient update(String id, @Nullable Integer expectedVersion, AuthClientDraft draft,
			@Nullable String actor) {
		AuthClient current = get(id);
		int version = expectedVersion == null ? current.version() : expectedVersion;
		if (version != current.version()) {
			throw new StaleVersionException("The auth client");
		}
		Validated valid = validate(draft, id, current.name());
		AuthClientRules.Uris uris = valid.uris();
		List<String> redirects = uris.redirects();
		Long serviceAccount = current.serviceAccountId();
		if (serviceAccount == null && draft.grants().contains(GrantType.CLIENT_CREDENTIALS)) {
			serviceAccount = serviceAccounts.createFor(id, draft.name().trim());
		}
		AuthClient updated = new AuthClient(id, draft.name().trim(), draft.grants(), redirects, draft.publicClient(),
				draft.introspectOthers(), draft.requirePar(), uris.postLogout(), draft.revokeTokensOnLogout(),
				draft.requireDpop(), serviceAccount, false, version + 1, current.createdAt(),
				Timestamps.now(), valid.authentication(), draft.policy(), current.lastUsedAt());
		List<FieldChange> changes = new ArrayList<>();
		describe(changes, current, updated);
		if (changes.isEmpty()) {
			return current;
		}
		try {
			if (!repository.update(updated, NameKeys.of(updated.name()), version)) {
				throw new StaleVersionException("The auth client");
			}
		}
		catch (DuplicateKeyException ex) {
			throw nameTaken();
		}
		long revoked = revokeWhatTheChangeEnds(current, updated);
		if (revoked > 0) {
			changes.add(new FieldChange("revoked_tokens", null, String.valueOf(revoked)));
		}
		record(actor, "updated", updated, changes);
		signals.publish(Topics.CLIENT, updated.id());
		return updated;
	}

	/**
	 * Adds a secret and revokes the others: {@link #addSecret} with nothing kept. Tokens already issued stay valid;
	 * the old secrets stop working at once.
	 */
	@Transactional
	public IssuedSecret regenerateSecret(String id) {
		IssuedClientSecret added = addSecret(id, Duration.ZERO, "secret_regenerated");
		return new IssuedSecret(added.client(), added.value());
	}

	/**
	 * Adds a secret to a confidential client. The secrets active now stay active for {@code keepCurrentFor} at most
	 * (an earlier expiry stays as it is), zero revoking them now: a rotation without downtime keeps them long enough
	 * for the application to switch. Throws {@link ValidationException} for a public client, a time out of
	 * {@code [0, 30 days]}, or more than {@value #MAX_ACTIVE_SECRETS} secrets active at once.
	 */
	@Transactional
	public IssuedClientSecret addSecret(String id, Duration keepCurrentFor) {
		return addSecret(id, keepCurrentFor, "secret_added");
	}

	private IssuedClientSecret addSecret(String id, Duration keepCurrentFor, String auditAction) {
		AuthClient current = get(id);
		if (current.publicClient()) {
			throw ValidationException.of("public", "A public client has no secret.");
		}
		if (!current.authentication().usesSecret()) {
			throw ValidationException.of("token_endpoint_auth_method",
					"This client authenticates with its keys (private_key_jwt), not with a secret.");
		}
		if (keepCurrentFor.isNegative() || keepCurrentFor.compareTo(MAX_KEEP_CURRENT) > 0) {
			throw ValidationException.of("keep_current_for",
					"The current secrets can be kept for 0 seconds to 30 days.");
		}
		OffsetDateTime now = Timestamps.nowUtc();
		// the version check serializes concurrent changes to the client's secrets, so the limit below holds
		if (!repository.bumpVersion(id, current.version(), now)) {
			throw new StaleVersionException("The auth client");
		}
		Instant at = now.toInstant();
		List<FieldChange> changes = new ArrayList<>();
		if (keepCurrentFor.isZero()) {
			int revoked = secrets.revokeActive(id, at);
			if (revoked > 0) {
				changes.add(new FieldChange("revoked_secrets", null, String.valueOf(revoked)));
			}
		}
		else {
			Instant until = at.plus(keepCurrentFor);
			int kept = secrets.expireActive(id, at, until);
			if (kept > 0) {
				changes.add(new FieldChange("kept_secrets_until", null, until.toString()));
			}
			if (secrets.active(id, at).size() >= MAX_ACTIVE_SECRETS) {
				throw ValidationException.of("secrets", "A client has at most " + MAX_ACTIVE_SECRETS
						+ " active secrets. Revoke one first.");
			}
		}
		String value = ClientSecrets.generate();
		ClientSecret added = newSecret(value, at, null);
		secrets.insert(id, added, Secrets.sha256(value));
		changes.add(0, new FieldChange("secret", null, "added " + describe(added)));
		AuthClient updated = new AuthClient(id, current.name(), current.grants(), current.redirectUris(), false,
				current.introspectOthers(), current.requirePar(), current.postLogoutRedirectUris(),
				current.revokeTokensOnLogout(), current.requireDpop(), current.serviceAccountId(), false,
				current.version() + 1, current.createdAt(), at, current.authentication(), current.policy(),
				current.lastUsedAt());
		audit.record(auditAction, AUDIT_TYPE, updated.id(), updated.name(), changes);
		signals.publish(Topics.CLIENT, updated.id());
		return new IssuedClientSecret(updated, added, value);
	}

	/** The client's secrets, newest first, with their state; never their values. */
	@Transactional(readOnly = true)
	public List<ClientSecret> secrets(String id) {
		get(id);
		return secrets.list(id);
	}

	/**
	 * Revokes one secret: it stops working at once on every node. Throws {@link NotFoundException} when the client
	 * has no such secret; revoking a revoked secret changes nothing.
	 */
	@Transactional
	public void revokeSecret(String id, String secretId) {
		AuthClient current = get(id);
		ClientSecret secret = secrets.find(id, secretId).orElseThrow(() -> new NotFoundException("Secret"));
		OffsetDateTime now = Timestamps.nowUtc();
		if (!secrets.revoke(id, secretId, now.toInstant())) {
			return;
		}
		if (!repository.bumpVersion(id, current.version(), now)) {
			throw new StaleVersionException("The auth client");
		}
		audit.record("secret_revoked", AUDIT_TYPE, current.id(), current.name(),
				List.of(new FieldChange("secret", describe(secret), "revoked")));
		signals.publish(Topics.CLIENT, current.id());
	}

	/** Revokes the client (kept as a revoked row so its tokens can be refused) and frees its name. */
	@Transactional
	public void delete(String id) {
		delete(id, null);
	}

	/** {@link #delete(String)} on behalf of {@code actor} (null: the signed-in user). */
	@Transactional
	public void delete(String id, @Nullable String actor) {
		AuthClient current = get(id);
		if (!repository.revoke(id, current.version(), OffsetDateTime.now(ZoneOffset.UTC))) {
			throw new StaleVersionException("The auth client");
		}
		long revoked = issuedTokens.revoke(id, EnumSet.allOf(GrantType.class));
		if (current.serviceAccountId() != null) {
			serviceAccounts.setActive(current.serviceAccountId(), false);
		}
		List<FieldChange> changes = new ArrayList<>(List.of(new FieldChange("revoked", "false", "true")));
		if (revoked > 0) {
			changes.add(new FieldChange("revoked_tokens", null, String.valueOf(revoked)));
		}
		record(actor, "deleted", current, changes);
		signals.publish(Topics.CLIENT, current.id());
	}

	/**
	 * What saving would end, per grant being disabled: live tokens and pending codes issued through each grant, for
	 * the edit form's notice. Grants with nothing live are left out.
	 */
	@Transactional(readOnly = true)
	public Map<GrantType, Long> liveTokens(String id) {
		return issuedTokens.countLive(id);
	}

	/**
	 * True when {@code secret} is one of the live client's active, unexpired secrets (one lookup by its SHA-256,
	 * compared in constant time). Records the secret's use, at most once a minute.
	 */
	public boolean secretMatches(String id, String secret) {
		return secretCheck.authenticate(id, secret);
	}

	/**
	 * The live client with its active secrets (their hashes and expiries), for authenticating it at the token
	 * endpoint; empty for unknown and deleted clients. Served from a cache that every change to the client drops on
	 * every node.
	 */
	public Optional<ClientCredentials> credentialsOf(String id) {
		return secretCheck.credentialsOf(id);
	}

	/**
	 * Records that a token was issued to the client, for the list's last use: written at most once a minute per
	 * client per node (and, by a conditional update, about once a minute across nodes), never once per request. The
	 * write is a transaction of its own, so this may be called once the token's transaction has committed.
	 */
	public void recordUse(String id) {
		if (recentlyUsed.asMap().putIfAbsent(id, Boolean.TRUE) == null) {
			repository.recordUse(id, Timestamps.nowUtc());
		}
	}

	/** The client's audit history, newest first. */
	public List<AuditRecord> history(String id, int limit) {
		return auditLog.historyOf(AUDIT_TYPE, id, limit);
	}

	/**
	 * Disabling a grant ends what it issued; removing a redirect URL ends codes waiting to be exchanged for it. The
	 * service account of a client that no longer uses client credentials is deactivated, and reactivated with it.
	 */
	private long revokeWhatTheChangeEnds(AuthClient before, AuthClient after) {
		Set<GrantType> disabled = EnumSet.noneOf(GrantType.class);
		disabled.addAll(before.grants());
		disabled.removeAll(after.grants());
		long revoked = disabled.isEmpty() ? 0 : issuedTokens.revoke(after.id(), disabled);
		Set<String> removedRedirects = new HashSet<>(before.redirectUris());
		removedRedirects.removeAll(after.redirectUris());
		if (!removedRedirects.isEmpty() && after.allows(GrantType.AUTHORIZATION_CODE)) {
			revoked += issuedTokens.revokePendingCodes(after.id(), removedRedirects);
		}
		if (after.serviceAccountId() != null
				&& before.allows(GrantType.CLIENT_CREDENTIALS) != after.allows(GrantType.CLIENT_CREDENTIALS)) {
			serviceAccounts.setActive(after.serviceAccountId(), after.allows(GrantType.CLIENT_CREDENTIALS));
		}
		return revoked;
	}

	private void record(@Nullable String actor, String action, AuthClient client, List<FieldChange> changes) {
		if (actor == null) {
			audit.record(action, AUDIT_TYPE, client.id(), client.name(), changes);
		}
		else {
			audit.record(new AuditableChange(null, actor, action, AUDIT_TYPE, client.id(), client.name(), changes));
		}
	}

	/** A draft that passed every rule: what to store. */
	private record Validated(AuthClientRules.Uris uris, ClientAuthentication authentication) {
	}

	private Validated validate(AuthClientDraft draft, String id, @Nullable String currentName) {
		return validateNamed(draft, id, currentName, key -> repository.nameTaken(key, id), audience -> false);
	}

	/**
	 * The rules of {@link #validate(AuthClientDraft, String, String)}, with the name check given, and the clients
	 * not yet stored that an exchange audience may name.
	 */
	private Validated validateNamed(AuthClientDraft draft, String id, @Nullable String currentName,
			Predicate<String> nameKeyTaken, Predicate<String> alsoClients) {
		FieldErrors errors = new FieldErrors();
		List<String> redirects = AuthClientRules.check(draft, currentName, errors);
		List<String> postLogout = AuthClientRules.checkPostLogout(draft, errors);
		ClientAuthentication authentication = ClientKeyRules.check(draft, errors);
		draft.policy().check(draft.grants(), errors);
		if (!errors.has("token_exchange_audiences")) {
			checkExchangeAudiences(draft.policy().exchangeAudiences(), id, alsoClients, errors);
		}
		if (!errors.has("name") && nameKeyTaken.test(NameKeys.of(draft.name()))) {
			errors.add("name", "The Name has already been taken.");
		}
		errors.throwIfAny();
		return new Validated(new AuthClientRules.Uris(redirects, postLogout), authentication);
	}

	/** RFC 8693 audiences: other clients of this server, each live (not deleted). */
	private void checkExchangeAudiences(List<String> audiences, String id, Predicate<String> alsoClients,
			FieldErrors errors) {
		for (String audience : audiences) {
			if (audience.equals(id)) {
				errors.add("token_exchange_audiences", "The Exchange audiences name other clients; a client may "
						+ "always exchange tokens for the REST API and itself.");
			}
			else if (!alsoClients.test(audience) && repository.findLive(audience).isEmpty()) {
				errors.add("token_exchange_audiences", "The Exchange audiences list "
						+ AuthClientRules.abbreviate(audience) + ", which is not a client of this server.");
			}
		}
	}

	private static ClientSecret newSecret(String value, Instant now, @Nullable Instant expiresAt) {
		// the prefix and four random characters: tells secrets apart, and leaves 232 bits unknown
		String label = value.substring(0, ClientSecrets.PREFIX.length() + 4) + "…";
		return new ClientSecret(UUID.randomUUID().toString(), label, now, expiresAt, null, null);
	}

	private static String describe(ClientSecret secret) {
		return secret.label() + " (" + secret.id() + ")";
	}

	private static ValidationException nameTaken() {
		return ValidationException.of("name", "The Name has already been taken.");
	}

	private static void describe(List<FieldChange> changes, @Nullable AuthClient before, AuthClient after) {
		FieldChange.addIfChanged(changes, "name", before == null ? null : before.name(), after.name());
		FieldChange.addIfChanged(changes, "grants", before == null ? null : before.grantLabels(), after.grantLabels());
		FieldChange.addIfChanged(changes, "redirect", before == null ? null : redirectText(before),
				redirectText(after));
		FieldChange.addIfChanged(changes, "public", before == null ? null : before.publicClient(),
				after.publicClient());
		FieldChange.addIfChanged(changes, "introspect_others", before == null ? null : before.introspectOthers(),
				after.introspectOthers());
		FieldChange.addIfChanged(changes, "post_logout_redirect",
				before == null || before.postLogoutRedirectUris().isEmpty() ? null
						: String.join(", ", before.postLogoutRedirectUris()),
				after.postLogoutRedirectUris().isEmpty() ? null : String.join(", ", after.postLogoutRedirectUris()));
		FieldChange.addIfChanged(changes, "revoke_tokens_on_logout",
				before == null ? null : before.revokeTokensOnLogout(), after.revokeTokensOnLogout());
		FieldChange.addIfChanged(changes, "require_par", before == null ? null : before.requirePar(),
				after.requirePar());
		FieldChange.addIfChanged(changes, "require_dpop", before == null ? null : before.requireDpop(),
				after.requireDpop());
		ClientAuthentication was = before == null ? null : before.authentication();
		FieldChange.addIfChanged(changes, "token_endpoint_auth_method", was == null ? null : was.method().apiName(),
				after.authentication().method().apiName());
		// the keys are public; the record names that they changed, not the whole set
		FieldChange.addIfChanged(changes, "jwks", was == null || was.jwks() == null ? null : "set",
				after.authentication().jwks() == null ? null : "set");
		if (was != null && was.jwks() != null && after.authentication().jwks() != null
				&& !was.jwks().equals(after.authentication().jwks())) {
			changes.add(new FieldChange("jwks", "set", "replaced"));
		}
		FieldChange.addIfChanged(changes, "jwks_uri", was == null ? null : was.jwksUri(),
				after.authentication().jwksUri());
		ClientPolicy policyWas = before == null ? null : before.policy();
		FieldChange.addIfChanged(changes, "access_token_lifetime",
				policyWas == null ? null : ClientPolicy.seconds(policyWas.accessTokenLifetime()),
				ClientPolicy.seconds(after.policy().accessTokenLifetime()));
		FieldChange.addIfChanged(changes, "refresh_token_lifetime",
				policyWas == null ? null : ClientPolicy.seconds(policyWas.refreshTokenLifetime()),
				ClientPolicy.seconds(after.policy().refreshTokenLifetime()));
		FieldChange.addIfChanged(changes, "scopes", policyWas == null ? null : policyWas.scopeText(),
				after.policy().scopeText());
		FieldChange.addIfChanged(changes, "skip_consent", policyWas == null ? null : policyWas.skipConsent(),
				after.policy().skipConsent());
		FieldChange.addIfChanged(changes, "rate_limit", policyWas == null ? null : policyWas.rateLimitText(),
				after.policy().rateLimitText());
		FieldChange.addIfChanged(changes, "token_exchange_audiences",
				policyWas == null || policyWas.exchangeAudiences().isEmpty() ? null
						: String.join(", ", policyWas.exchangeAudiences()),
				after.policy().exchangeAudiences().isEmpty() ? null
						: String.join(", ", after.policy().exchangeAudiences()));
	}

	private static @Nullable String redirectText(AuthClient client) {
		return client.redirectUris().isEmpty() ? null : String.join(", ", client.redirectUris());
	}

}
