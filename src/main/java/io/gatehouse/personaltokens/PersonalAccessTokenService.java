package io.gatehouse.personaltokens;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.gatehouse.api.FieldErrors;
import io.gatehouse.api.NotFoundException;
import io.gatehouse.api.Page;
import io.gatehouse.api.PageQuery;
import io.gatehouse.api.TextRules;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.FieldChange;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.Topics;
import io.gatehouse.database.Timestamps;
import io.gatehouse.personaltokens.JdbcPersonalAccessTokenRepository.TokenClient;
import io.gatehouse.personaltokens.JdbcPersonalAccessTokenRepository.TokenHolder;
import io.gatehouse.secrets.Secrets;
import io.gatehouse.signin.SignedInUser;
import io.gatehouse.usage.TokenUsage;
import io.gatehouse.usage.UsageGrantType;

import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, lists and revokes personal access tokens, and authenticates a presented token value. A value is returned
 * by {@link #create} only, once; storage holds its SHA-256 hash. Who may manage whose tokens is the caller's check;
 * this service only keeps every token within its owner's account.
 */
@Service
public class PersonalAccessTokenService {

	static final String AUDIT_TYPE = "personal_access_token";

	/** {@code last_used_at} is written at most once per token in this interval, not on every request. */
	static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

	private final JdbcPersonalAccessTokenRepository repository;

	private final AuditTrail audit;

	private final ChangeSignals signals;

	private final UsablePersonalAccessTokens usable;

	private final TokenUsage usage;

	PersonalAccessTokenService(JdbcPersonalAccessTokenRepository repository, AuditTrail audit, ChangeSignals signals,
			UsablePersonalAccessTokens usable, TokenUsage usage) {
		this.signals = signals;
		this.usage = usage;
		this.repository = repository;
		this.audit = audit;
		this.usable = usable;
	}

	/**
	 * Creates a token for the account and returns it with its value, the only time the value is available.
	 * @throws io.gatehouse.api.ValidationException (422) under {@code name}, {@code scopes}, {@code client_id} or
	 * {@code expires_in_days}; nothing is written then
	 */
	@Transactional
	public IssuedPersonalAccessToken create(long accountId, PersonalAccessTokenDraft draft) {
		FieldErrors errors = new FieldErrors();
		String name = draft.name() == null ? "" : draft.name().trim();
		if (name.isEmpty()) {
			errors.add("name", "The Name field is required.");
		}
		else if (name.length() > PersonalAccessTokens.MAX_NAME_LENGTH) {
			errors.add("name", "The Name must not be greater than " + PersonalAccessTokens.MAX_NAME_LENGTH
					+ " characters.");
		}
		else {
			String characters = TextRules.problemWith("Name", name);
			if (characters != null) {
				errors.add("name", characters);
			}
		}
		List<String> scopes = scopes(draft.scopes(), errors);
		String clientId = draft.clientId() == null || draft.clientId().isBlank()
				? PersonalAccessTokens.DEFAULT_CLIENT_ID : draft.clientId().trim();
		// no client id holds a control character, and PostgreSQL refuses a NUL in any text parameter
		Optional<TokenClient> client = TextRules.problemWith("client_id", clientId) == null
				? repository.findPersonalAccessClient(clientId) : Optional.empty();
		if (client.isEmpty()) {
			errors.add("client_id", "The selected client does not exist or does not allow personal access tokens.");
		}
		int days = draft.expiresInDays() == null ? PersonalAccessTokens.DEFAULT_EXPIRY_DAYS : draft.expiresInDays();
		if (days < 1 || days > PersonalAccessTokens.MAX_EXPIRY_DAYS) {
			errors.add("expires_in_days", "The Expires field must be between 1 and "
					+ PersonalAccessTokens.MAX_EXPIRY_DAYS + " days.");
		}
		errors.throwIfAny();

		String value = PersonalAccessTokens.generate();
		Instant now = Timestamps.now();
		Instant expiresAt = now.plus(days, ChronoUnit.DAYS);
		long id = repository.insert(accountId, clientId, name, JdbcPersonalAccessTokenRepository.joinScopes(scopes),
				Secrets.sha256(value), now, expiresAt);
		PersonalAccessToken token = new PersonalAccessToken(id, accountId, name, clientId, client.get().name(), scopes,
				now, expiresAt, null, null);
		audit.recordAbout(clientId, "created", AUDIT_TYPE, Long.toString(token.id()), token.name(),
				List.of(new FieldChange("name", null, name),
				new FieldChange("client", null, client.get().name()),
				new FieldChange("scopes", null, String.join(" ", scopes)),
				new FieldChange("expires_at", null, expiresAt.toString()),
				new FieldChange("owner_id", null, Long.toString(accountId))));
		// counted in the client's usage once the token is committed (in memory; written within the minute)
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				usage.record(clientId, UsageGrantType.PERSONAL_ACCESS_TOKEN);
			}

		});
		return new IssuedPersonalAccessToken(token, value);
	}

	/** The account's tokens, revoked and expired ones included, newest first unless the query says otherwise. */
	@Transactional(readOnly = true)
	public Page<PersonalAccessToken> list(long accountId, PageQuery query) {
		return repository.pageForAccount(accountId, query);
	}

	/** @throws NotFoundException when the account has no token with this id */
	@Transactional(readOnly = true)
	public PersonalAccessToken get(long accountId, long tokenId) {
		return repository.find(accountId, tokenId).orElseThrow(() -> new NotFoundException("Personal access token"));
	}

	/**
	 * Revokes the token; it stops working at once. Revoking a revoked token changes nothing.
	 * @throws NotFoundException when the account has no token with this id
	 */
	@Transactional
	public PersonalAccessToken revoke(long accountId, long tokenId) {
		PersonalAccessToken token = get(accountId, tokenId);
		Instant now = Timestamps.now();
		if (repository.revoke(accountId, tokenId, now)) {
			audit.recordAbout(token.clientId(), "revoked", AUDIT_TYPE, Long.toString(token.id()), token.name(),
					List.of(new FieldChange("revoked", "false", "true"),
							new FieldChange("owner_id", null, Long.toString(accountId))));
			signals.publish(Topics.PERSONAL_ACCESS_TOKEN, Long.toString(token.id()));
			return new PersonalAccessToken(token.id(), token.accountId(), token.name(), token.clientId(),
					token.clientName(), token.scopes(), token.createdAt(), token.expiresAt(), token.lastUsedAt(), now);
		}
		return token;
	}

	/**
	 * Revokes every active token issued through the client, for when the client is deleted or loses its personal
	 * access grant. Runs in the caller's transaction when there is one.
	 * @return how many tokens were revoked
	 */
	@Transactional
	public int revokeAllForClient(String clientId) {
		return repository.revokeAllForClient(clientId, Timestamps.now());
	}

	/** How many tokens issued through the client are neither revoked nor expired. */
	@Transactional(readOnly = true)
	public long countActiveForClient(String clientId) {
		return repository.countActiveForClient(clientId, Timestamps.now());
	}

	/**
	 * The user and scopes a presented bearer value stands for: one indexed query, remembered until a signal stops the
	 * token (so none when it was presented before), plus, at most once a minute per token, a write of
	 * {@code last_used_at}. Empty for a value that is unknown, revoked or expired, whose account is inactive or
	 * deleted, or whose client is deleted or no longer allows personal access tokens.
	 */
	public Optional<AuthenticatedToken> authenticate(String bearerValue) {
		if (!PersonalAccessTokens.looksLikeToken(bearerValue)) {
			return Optional.empty();
		}
		Instant now = Timestamps.now();
		UsablePersonalAccessTokens.Usable found = usable.find(Secrets.sha256(bearerValue), now);
		if (found == null) {
			return Optional.empty();
		}
		TokenHolder holder = found.holder();
		Instant since = now.minus(LAST_USED_RESOLUTION);
		if (found.useDue(now, since)) {
			repository.touch(holder.tokenId(), now, since);
		}
		SignedInUser user = SignedInUser.of(holder.accountId(), holder.username(), holder.firstname(),
				holder.lastname(), holder.superAdmin());
		return Optional.of(new AuthenticatedToken(holder.tokenId(), holder.clientId(), holder.scopes(), user));
	}

	/** Live clients that may issue personal access tokens, by name. */
	List<TokenClient> personalAccessClients() {
		return repository.personalAccessClients();
	}

	/** Left out (null), the scopes are {@code api}, the only one so far, as the console form preselects it. */
	private static List<String> scopes(@Nullable List<String> requested, FieldErrors errors) {
		if (requested == null) {
			return List.of(PersonalAccessTokens.SCOPE_API);
		}
		if (requested.isEmpty()) {
			errors.add("scopes", "The Scopes field is required.");
			return List.of();
		}
		Set<String> scopes = new LinkedHashSet<>();
		for (String scope : requested) {
			if (scope == null || !PersonalAccessTokens.ALLOWED_SCOPES.contains(scope)) {
				errors.add("scopes", "The selected scope " + (scope == null ? "null" : "\"" + scope + "\"")
						+ " is invalid.");
			}
			else {
				scopes.add(scope);
			}
		}
		return new ArrayList<>(scopes);
	}

	/**
	 * A presented token that is usable now.
	 *
	 * @param user the token's owner as the account is now
	 */
	public record AuthenticatedToken(long tokenId, String clientId, List<String> scopes, SignedInUser user) {

		public AuthenticatedToken {
			scopes = List.copyOf(scopes);
		}

	}

}
