package io.gatehouse.clients;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.accounts.ServiceAccounts;
import io.gatehouse.api.FieldErrors;
import io.gatehouse.api.NotFoundException;
import io.gatehouse.api.Page;
import io.gatehouse.api.PageQuery;
import io.gatehouse.api.StaleVersionException;
import io.gatehouse.api.ValidationException;
import io.gatehouse.audit.AuditLog;
import io.gatehouse.audit.AuditRecord;
import io.gatehouse.audit.AuditTrail;
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
 * No method returns a secret except {@link #create} and {@link #regenerateSecret}, each exactly once.
 */
@Service
public class AuthClientService {

	static final String AUDIT_TYPE = "auth_client";

	private final JdbcAuthClientRepository repository;

	private final AuditTrail audit;

	private final AuditLog auditLog;

	private final EveryIssuedTokens issuedTokens;

	private final ServiceAccounts serviceAccounts;

	private final ChangeSignals signals;

	AuthClientService(JdbcAuthClientRepository repository, AuditTrail audit, AuditLog auditLog,
			EveryIssuedTokens issuedTokens, ServiceAccounts serviceAccounts, ChangeSignals signals) {
		this.signals = signals;
		this.repository = repository;
		this.audit = audit;
		this.auditLog = auditLog;
		this.issuedTokens = issuedTokens;
		this.serviceAccounts = serviceAccounts;
	}

	@Transactional(readOnly = true)
	public Page<AuthClient> page(PageQuery query) {
		return repository.page(query);
	}

	/** The live client with this id; throws {@link NotFoundException} for unknown and deleted ones. */
	@Transactional(readOnly = true)
	public AuthClient get(String id) {
		return repository.findLive(id).orElseThrow(() -> new NotFoundException("Auth client"));
	}

	/** Creates the client and its secret; throws {@link ValidationException} and writes nothing on bad input. */
	@Transactional
	public IssuedSecret create(AuthClientDraft draft) {
		String id = UUID.randomUUID().toString();
		List<String> redirects = validate(draft, id, null);
		Instant now = Timestamps.now();
		String name = draft.name().trim();
		Long serviceAccount = draft.grants().contains(GrantType.CLIENT_CREDENTIALS)
				? serviceAccounts.createFor(id, name) : null;
		AuthClient client = new AuthClient(id, name, draft.grants(), redirects, draft.publicClient(),
				draft.introspectOthers(), serviceAccount, false, 1, now, now);
		// a public client gets no secret; its stored hash is of a value nobody is ever shown
		String secret = ClientSecrets.generate();
		try {
			repository.insert(client, NameKeys.of(client.name()), Secrets.sha256(secret));
		}
		catch (DuplicateKeyException ex) {
			throw nameTaken();
		}
		List<FieldChange> changes = new ArrayList<>();
		describe(changes, null, client);
		audit.record("created", AUDIT_TYPE, client.id(), client.name(), changes);
		signals.publish(Topics.CLIENT, client.id());
		return new IssuedSecret(client, client.publicClient() ? null : secret);
	}

	/**
	 * Replaces name, grants, redirect URLs and flags; the secret is untouched. With an {@code expectedVersion}, throws
	 * {@link StaleVersionException} when someone else saved in between; null means "whatever is current".
	 */
	@Transactional
	public AuthClient update(String id, @Nullable Integer expectedVersion, AuthClientDraft draft) {
		AuthClient current = get(id);
		int version = expectedVersion == null ? current.version() : expectedVersion;
		if (version != current.version()) {
			throw new StaleVersionException("The auth client");
		}
		List<String> redirects = validate(draft, id, current.name());
		Long serviceAccount = current.serviceAccountId();
		if (serviceAccount == null && draft.grants().contains(GrantType.CLIENT_CREDENTIALS)) {
			serviceAccount = serviceAccounts.createFor(id, draft.name().trim());
		}
		AuthClient updated = new AuthClient(id, draft.name().trim(), draft.grants(), redirects, draft.publicClient(),
				draft.introspectOthers(), serviceAccount, false, version + 1, current.createdAt(), Timestamps.now());
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
		audit.record("updated", AUDIT_TYPE, updated.id(), updated.name(), changes);
		signals.publish(Topics.CLIENT, updated.id());
		return updated;
	}

	/** Replaces the secret; tokens already issued stay valid, the old secret stops working at once. */
	@Transactional
	public IssuedSecret regenerateSecret(String id) {
		AuthClient current = get(id);
		if (current.publicClient()) {
			throw ValidationException.of("public", "A public client has no secret.");
		}
		String secret = ClientSecrets.generate();
		OffsetDateTime now = Timestamps.nowUtc();
		if (!repository.replaceSecret(id, Secrets.sha256(secret), current.version(), now)) {
			throw new StaleVersionException("The auth client");
		}
		AuthClient updated = new AuthClient(id, current.name(), current.grants(), current.redirectUris(), false,
				current.introspectOthers(), current.serviceAccountId(), false, current.version() + 1,
				current.createdAt(), now.toInstant());
		audit.record("secret_regenerated", AUDIT_TYPE, updated.id(), updated.name(),
				List.of(new FieldChange("secret", null, "regenerated")));
		signals.publish(Topics.CLIENT, updated.id());
		return new IssuedSecret(updated, secret);
	}

	/** Revokes the client (kept as a revoked row so its tokens can be refused) and frees its name. */
	@Transactional
	public void delete(String id) {
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
		audit.record("deleted", AUDIT_TYPE, current.id(), current.name(), changes);
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

	/** True when {@code secret} is the live client's current secret (constant-time comparison). */
	@Transactional(readOnly = true)
	public boolean secretMatches(String id, String secret) {
		return repository.findLiveSecretHash(id).map(hash -> Secrets.matches(secret, hash)).orElse(false);
	}

	/**
	 * The live client with the hash of its secret, for authenticating it at the token endpoint; empty for unknown and
	 * deleted clients. The hash is compared with {@link ClientSecrets#matches}; the secret itself is not known here.
	 */
	@Transactional(readOnly = true)
	public Optional<ClientCredentials> credentialsOf(String id) {
		return repository.findLiveCredentials(id);
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

	private List<String> validate(AuthClientDraft draft, String id, @Nullable String currentName) {
		FieldErrors errors = new FieldErrors();
		List<String> redirects = AuthClientRules.check(draft, currentName, errors);
		if (!errors.has("name") && repository.nameTaken(NameKeys.of(draft.name()), id)) {
			errors.add("name", "The Name has already been taken.");
		}
		errors.throwIfAny();
		return redirects;
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
	}

	private static @Nullable String redirectText(AuthClient client) {
		return client.redirectUris().isEmpty() ? null : String.join(", ", client.redirectUris());
	}

}
