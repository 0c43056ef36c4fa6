package io.gatehouse.registration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.gatehouse.api.FieldErrors;
import io.gatehouse.api.NotFoundException;
import io.gatehouse.api.TextRules;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.FieldChange;
import io.gatehouse.database.Timestamps;
import io.gatehouse.secrets.Secrets;
import io.gatehouse.signin.SignedInUser;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, lists and revokes initial access tokens, and claims one for a registration. A token's value is returned
 * once, by {@link #create}; only its SHA-256 is stored. Every change is audited, never with the value.
 */
@Service
class InitialAccessTokenService {

	static final String AUDIT_TYPE = "initial_access_token";

	/** Recognised by secret scanners, like the other Gatehouse secrets. */
	static final String PREFIX = "gtiat_";

	static final Duration MIN_LIFETIME = Duration.ofMinutes(1);

	/** Always expiring, and within a month: a pipeline's credential is renewed, not kept forever. */
	static final Duration MAX_LIFETIME = Duration.ofDays(30);

	/** The console and the API list this many of the newest tokens. */
	static final int LIST_SIZE = 100;

	private final JdbcInitialAccessTokenRepository repository;

	private final AuditTrail audit;

	InitialAccessTokenService(JdbcInitialAccessTokenRepository repository, AuditTrail audit) {
		this.repository = repository;
		this.audit = audit;
	}

	/**
	 * Creates a token named {@code name} that expires {@code expiresIn} seconds from now (1 minute to 30 days).
	 * Throws {@link io.gatehouse.api.ValidationException} and writes nothing on bad input.
	 */
	@Transactional
	IssuedInitialAccessToken create(@Nullable String name, @Nullable Long expiresIn, boolean singleUse) {
		String trimmed = name == null ? "" : name.trim();
		FieldErrors errors = new FieldErrors();
		String characters = TextRules.problemWith("Name", trimmed);
		if (trimmed.isEmpty()) {
			errors.add("name", "The Name field is required.");
		}
		else if (trimmed.length() > 255) {
			errors.add("name", "The Name must not be greater than 255 characters.");
		}
		else if (characters != null) {
			errors.add("name", characters);
		}
		if (expiresIn == null) {
			errors.add("expires_in", "The expires in field is required.");
		}
		else if (expiresIn < MIN_LIFETIME.toSeconds() || expiresIn > MAX_LIFETIME.toSeconds()) {
			errors.add("expires_in", "An initial access token expires in " + MIN_LIFETIME.toSeconds() + " to "
					+ MAX_LIFETIME.toSeconds() + " seconds (30 days).");
		}
		errors.throwIfAny();
		Instant now = Timestamps.now();
		String createdBy = SignedInUser.current().map(SignedInUser::username).orElse(AuditTrail.SYSTEM);
		InitialAccessToken token = new InitialAccessToken(UUID.randomUUID().toString(), trimmed, now,
				now.plusSeconds(expiresIn), singleUse, null, createdBy, false);
		String value = Secrets.generate(PREFIX);
		repository.insert(token, Secrets.sha256(value));
		List<FieldChange> changes = new ArrayList<>();
		changes.add(new FieldChange("name", null, token.name()));
		changes.add(new FieldChange("expires_at", null, token.expiresAt().toString()));
		changes.add(new FieldChange("single_use", null, String.valueOf(singleUse)));
		audit.record("created", AUDIT_TYPE, token.id(), token.name(), changes);
		return new IssuedInitialAccessToken(token, value);
	}

	/** The {@value #LIST_SIZE} newest tokens, newest first; never their values. */
	@Transactional(readOnly = true)
	List<InitialAccessToken> list() {
		return repository.newest(LIST_SIZE);
	}

	/**
	 * Revokes the token: it registers no more clients. Clients it registered stay. Throws {@link NotFoundException}
	 * for an unknown id; revoking a revoked token changes nothing.
	 */
	@Transactional
	InitialAccessToken revoke(String id) {
		InitialAccessToken token = repository.find(id).orElseThrow(() -> new NotFoundException("Initial access token"));
		if (repository.revoke(id)) {
			audit.record("revoked", AUDIT_TYPE, token.id(), token.name(),
					List.of(new FieldChange("revoked", "false", "true")));
		}
		return token;
	}

	/**
	 * The token with this value, claimed for one registration in the caller's transaction (so a registration that
	 * fails leaves a single-use token unused); empty for an unknown, revoked, expired or used-up token.
	 */
	@Transactional
	Optional<InitialAccessToken> claim(String value) {
		return repository.claim(Secrets.sha256(value), Timestamps.now());
	}

	/** A token with its value, which only the response that created it carries. */
	record IssuedInitialAccessToken(InitialAccessToken token, String value) {
	}

}
