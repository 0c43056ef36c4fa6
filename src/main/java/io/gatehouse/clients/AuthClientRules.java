package io.gatehouse.clients;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.gatehouse.api.FieldErrors;
import io.gatehouse.api.TextRules;

import org.jspecify.annotations.Nullable;

/**
 * The rules a client must satisfy, checked on every write path. Messages keep the original system's wording where
 * it had one. Error keys are the API's field names: {@code name}, {@code types}, {@code redirect}, {@code public},
 * {@code introspect_others}.
 */
final class AuthClientRules {

	static final int MAX_NAME_LENGTH = 255;

	private AuthClientRules() {
	}

	/** A client_id chosen by a configuration document: RFC 3986 unreserved characters, as safe in a URL as a UUID. */
	private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~-]{1,64}");

	private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

	/** A client_id given by the caller: 1 to 64 letters, digits, {@code . _ ~ -}. */
	static void checkId(String id, FieldErrors errors) {
		if (!CLIENT_ID.matcher(id).matches()) {
			errors.add("client_id", "The client_id must be 1 to 64 letters, digits, '.', '_', '~' or '-'.");
		}
	}

	/** The SHA-256 of a secret, as stored: 64 lower-case hex digits, and only for a confidential client. */
	static void checkSecretHash(@Nullable String hash, boolean publicClient, FieldErrors errors) {
		if (hash == null) {
			return;
		}
		if (publicClient) {
			errors.add("secret_hash", "A public client has no secret.");
		}
		else if (!SHA256_HEX.matcher(hash).matches()) {
			errors.add("secret_hash",
					"The secret_hash must be the SHA-256 of the secret, as 64 lower-case hex digits.");
		}
	}

	/**
	 * Validates the draft and returns the redirect URIs to store (trimmed; none unless the code grant is enabled).
	 * Name uniqueness needs storage and is checked by the service. {@code currentName} is the stored name of the
	 * client being edited (null on create): kept unchanged, it is not held to character rules newer than itself.
	 */
	static List<String> check(AuthClientDraft draft, @Nullable String currentName, FieldErrors errors) {
		String name = draft.name() == null ? "" : draft.name().trim();
		String characters = name.equals(currentName) ? null : TextRules.problemWith("Name", name);
		if (name.isEmpty()) {
			errors.add("name", "The Name field is required.");
		}
		else if (name.length() > MAX_NAME_LENGTH) {
			errors.add("name", "The Name must not be greater than " + MAX_NAME_LENGTH + " characters.");
		}
		else if (characters != null) {
			errors.add("name", characters);
		}
		if (draft.grants().isEmpty()) {
			errors.add("types", "The Auth-Client must have at least 1 item chosen.");
		}
		if (draft.publicClient() && !draft.grants().equals(java.util.Set.of(GrantType.AUTHORIZATION_CODE))) {
			errors.add("public", "A public client has no secret, so it may use only the authorization code grant.");
		}
		if (draft.publicClient() && draft.introspectOthers()) {
			errors.add("introspect_others",
					"A public client has no secret to authenticate with, so it cannot introspect tokens.");
		}
		if (draft.requirePar() && !draft.grants().contains(GrantType.AUTHORIZATION_CODE)) {
			errors.add("require_par", "Pushed authorization requests are part of the authorization code grant.");
		}
		else if (draft.requirePar() && draft.publicClient()) {
			errors.add("require_par", "A public client has no secret to authenticate with at the PAR endpoint.");
		}
		if (!draft.grants().contains(GrantType.AUTHORIZATION_CODE)) {
			return List.of();
		}
		List<String> uris = new ArrayList<>();
		for (String raw : draft.redirectUris()) {
			String uri = raw.trim();
			if (!uri.isEmpty()) {
				uris.add(uri);
			}
		}
		if (uris.isEmpty()) {
			errors.add("redirect", "The Redirect field is required.");
			return uris;
		}
		if (uris.size() > RedirectUriPolicy.MAX_URIS) {
			errors.add("redirect", "The Redirect may list at most " + RedirectUriPolicy.MAX_URIS + " URLs.");
		}
		Set<String> seen = new HashSet<>();
		for (String uri : uris) {
			String problem = RedirectUriPolicy.problemWith(uri);
			if (problem != null) {
				errors.add("redirect", uris.size() == 1 ? problem : problem + " (" + abbreviate(uri) + ")");
			}
			else if (!seen.add(uri)) {
				errors.add("redirect", "The Redirect lists " + abbreviate(uri) + " twice.");
			}
		}
		return uris;
	}

	/** The redirect URIs a valid draft leaves, trimmed, blank lines dropped. */
	record Uris(List<String> redirects, List<String> postLogout) {
	}

	/**
	 * The post-logout redirect URIs (OpenID Connect RP-Initiated Logout 1.0 3.1), under the same policy as the
	 * redirect URIs: absolute https (http only on loopback), no fragment, no credentials, matched exactly. Kept only
	 * with the code grant, the only one that signs a user in.
	 */
	static List<String> checkPostLogout(AuthClientDraft draft, FieldErrors errors) {
		List<String> uris = draft.postLogoutRedirectUris().stream().map(String::trim).filter(u -> !u.isEmpty())
			.toList();
		if (uris.isEmpty() || !draft.grants().contains(GrantType.AUTHORIZATION_CODE)) {
			// like the redirect URLs, they go with the code grant
			return List.of();
		}
		if (uris.size() > RedirectUriPolicy.MAX_URIS) {
			errors.add("post_logout_redirect_uris",
					"The Post-logout redirect URL may list at most " + RedirectUriPolicy.MAX_URIS + " URLs.");
		}
		Set<String> seen = new HashSet<>();
		for (String uri : uris) {
			String problem = RedirectUriPolicy.problemWith(uri);
			if (problem != null) {
				errors.add("post_logout_redirect_uris",
						uris.size() == 1 ? problem : problem + " (" + abbreviate(uri) + ")");
			}
			else if (!seen.add(uri)) {
				errors.add("post_logout_redirect_uris", "The Post-logout redirect URL lists " + abbreviate(uri)
						+ " twice.");
			}
		}
		return uris;
	}

	static String abbreviate(String uri) {
		return uri.length() <= 80 ? uri : uri.substring(0, 77) + "...";
	}

}
