package io.gatehouse.clients;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.gatehouse.api.FieldErrors;

import org.jspecify.annotations.Nullable;

/**
 * What an administrator may tune per client beyond its grants: token lifetimes, the scopes it may ask for, and
 * whether its users are asked for consent. Every part is optional; null means the server's default.
 *
 * @param accessTokenLifetime how long its access tokens live; null for the server's
 *        ({@code GATEHOUSE_TOKENS_ACCESS_TOKEN_TTL}); between {@link #MIN_ACCESS} and {@link #MAX_ACCESS}
 * @param refreshTokenLifetime how long its refresh tokens live; null for the server's
 *        ({@code GATEHOUSE_TOKENS_REFRESH_TOKEN_TTL}); between {@link #MIN_REFRESH} and {@link #MAX_REFRESH}
 * @param scopes the scopes it may ask for, in {@link #SCOPES}; null for all of them
 * @param skipConsent a first-party application: the authorization code grant issues a code without asking the user,
 *        and records the consent as given, so the user can still see and withdraw it
 * @param rateLimit how many token requests a second it may make, with a burst; null for no limit
 * @param exchangeAudiences the other clients (by client id) the token exchange grant (RFC 8693) may issue tokens
 *        for, besides the REST API itself; trimmed, without blanks or repeats, in the order entered; empty unless the
 *        grant is enabled
 */
public record ClientPolicy(@Nullable Duration accessTokenLifetime, @Nullable Duration refreshTokenLifetime,
		@Nullable Set<String> scopes, boolean skipConsent, @Nullable RateLimit rateLimit,
		List<String> exchangeAudiences) {

	/**
	 * A token-bucket limit: {@code burst} requests at once, {@code perSecond} a second after that.
	 *
	 * @param perSecond 1 to {@value #MAX_RATE}
	 * @param burst {@code perSecond} to {@value #MAX_RATE}
	 */
	public record RateLimit(int perSecond, int burst) {

		static final int MAX_RATE = 100_000;

	}

	/** The scopes the server knows: the REST API and OpenID Connect's. */
	public static final Set<String> SCOPES = Set.of("api", "openid", "profile", "email");

	/** The server's defaults: nothing tuned. */
	public static final ClientPolicy DEFAULT = new ClientPolicy(null, null, null, false, null);

	/** At most this many exchange audiences per client. */
	static final int MAX_EXCHANGE_AUDIENCES = 50;

	static final Duration MIN_ACCESS = Duration.ofSeconds(60);

	static final Duration MAX_ACCESS = Duration.ofHours(24);

	static final Duration MIN_REFRESH = Duration.ofMinutes(5);

	static final Duration MAX_REFRESH = Duration.ofDays(90);

	public ClientPolicy {
		scopes = scopes == null ? null : Set.copyOf(scopes);
		exchangeAudiences = List.copyOf(new java.util.LinkedHashSet<>(exchangeAudiences.stream()
			.map(audience -> audience == null ? "" : audience.trim())
			.filter(audience -> !audience.isEmpty())
			.toList()));
	}

	/** A policy without token exchange audiences. */
	public ClientPolicy(@Nullable Duration accessTokenLifetime, @Nullable Duration refreshTokenLifetime,
			@Nullable Set<String> scopes, boolean skipConsent, @Nullable RateLimit rateLimit) {
		this(accessTokenLifetime, refreshTokenLifetime, scopes, skipConsent, rateLimit, List.of());
	}

	/** This policy with these token exchange audiences. */
	public ClientPolicy withExchangeAudiences(List<String> audiences) {
		return new ClientPolicy(accessTokenLifetime, refreshTokenLifetime, scopes, skipConsent, rateLimit, audiences);
	}

	/** A policy without a rate limit. */
	public ClientPolicy(@Nullable Duration accessTokenLifetime, @Nullable Duration refreshTokenLifetime,
			@Nullable Set<String> scopes, boolean skipConsent) {
		this(accessTokenLifetime, refreshTokenLifetime, scopes, skipConsent, null);
	}

	/** The scopes the client may ask for: its own list, or all of {@link #SCOPES}. */
	public Set<String> allowedScopes() {
		return scopes == null ? SCOPES : scopes;
	}

	/** Its scopes sorted and joined by spaces, as stored and shown; null for "all". */
	@Nullable String scopeText() {
		return scopes == null ? null : String.join(" ", new TreeSet<>(scopes));
	}

	/** Its scopes sorted, for the API; null for "all". */
	@Nullable List<String> scopeList() {
		return scopes == null ? null : List.copyOf(new TreeSet<>(scopes));
	}

	static @Nullable Set<String> parseScopes(@Nullable String text) {
		return text == null || text.isBlank() ? null : Set.of(text.trim().split("\\s+"));
	}

	static @Nullable Duration seconds(@Nullable Long seconds) {
		return seconds == null ? null : Duration.ofSeconds(seconds);
	}

	/** The rate limit as the audit log and the conflict notice show it; null for none. */
	@Nullable String rateLimitText() {
		return rateLimit == null ? null : rateLimit.perSecond() + "/s, burst " + rateLimit.burst();
	}

	static @Nullable Long seconds(@Nullable Duration duration) {
		return duration == null ? null : duration.toSeconds();
	}

	/**
	 * Checks the policy a draft asks for; errors under the API's field names ({@code access_token_lifetime},
	 * {@code refresh_token_lifetime}, {@code scopes}, {@code skip_consent}).
	 */
	void check(Set<GrantType> grants, FieldErrors errors) {
		checkLifetime(accessTokenLifetime, MIN_ACCESS, MAX_ACCESS, "access_token_lifetime", "access token", errors);
		checkLifetime(refreshTokenLifetime, MIN_REFRESH, MAX_REFRESH, "refresh_token_lifetime", "refresh token",
				errors);
		if (scopes != null && scopes.isEmpty()) {
			errors.add("scopes", "The Scopes must list at least one scope, or be left out for all of them.");
		}
		else if (scopes != null && !SCOPES.containsAll(scopes)) {
			errors.add("scopes", "The Scopes may only be: " + String.join(", ", new TreeSet<>(SCOPES)) + ".");
		}
		if (skipConsent && !grants.contains(GrantType.AUTHORIZATION_CODE)) {
			errors.add("skip_consent", "Consent is asked only in the authorization code grant.");
		}
		if (rateLimit != null && (rateLimit.perSecond() < 1 || rateLimit.perSecond() > RateLimit.MAX_RATE
				|| rateLimit.burst() < rateLimit.perSecond() || rateLimit.burst() > RateLimit.MAX_RATE)) {
			errors.add("rate_limit", "The rate limit must allow 1 to " + RateLimit.MAX_RATE
					+ " requests a second, with a burst of at least that many and at most " + RateLimit.MAX_RATE + ".");
		}
		if (!exchangeAudiences.isEmpty() && !grants.contains(GrantType.TOKEN_EXCHANGE)) {
			errors.add("token_exchange_audiences", "The Exchange audiences are used only by the token exchange grant.");
		}
		else if (exchangeAudiences.size() > MAX_EXCHANGE_AUDIENCES) {
			errors.add("token_exchange_audiences",
					"The Exchange audiences may list at most " + MAX_EXCHANGE_AUDIENCES + " clients.");
		}
	}

	private static void checkLifetime(@Nullable Duration lifetime, Duration min, Duration max, String field,
			String what, FieldErrors errors) {
		if (lifetime != null && (lifetime.compareTo(min) < 0 || lifetime.compareTo(max) > 0)) {
			errors.add(field, "The " + what + " lifetime must be between " + min.toSeconds() + " and "
					+ max.toSeconds() + " seconds.");
		}
	}

}
