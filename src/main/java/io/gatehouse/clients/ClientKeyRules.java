package io.gatehouse.clients;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Locale;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import io.gatehouse.api.FieldErrors;

import org.jspecify.annotations.Nullable;

/**
 * The rules of a client's authentication method and keys (error keys {@code token_endpoint_auth_method},
 * {@code jwks}, {@code jwks_uri}): a known method; {@code none} exactly for a public client; keys only for
 * {@code private_key_jwt}, which needs exactly one of an inline JWKS (public keys only, at least one RSA or EC
 * signing key) or a {@code jwks_uri} (absolute https, no credentials; where it may point is checked when it is
 * fetched, by the outbound module).
 */
final class ClientKeyRules {

	static final int MAX_JWKS_BYTES = 64 * 1024;

	static final int MAX_KEYS = 20;

	static final int MAX_URI_LENGTH = 2000;

	private ClientKeyRules() {
	}

	/** The authentication to store, or {@link ClientAuthentication#SECRET} with errors added when it is invalid. */
	static ClientAuthentication check(AuthClientDraft draft, FieldErrors errors) {
		AuthClientDraft.Authentication asked = draft.authentication();
		String jwks = blankToNull(asked.jwks());
		String jwksUri = blankToNull(asked.jwksUri());
		ClientAuthentication.Method method;
		if (asked.method() == null || asked.method().isBlank()) {
			method = draft.publicClient() ? ClientAuthentication.Method.NONE
					: jwks != null || jwksUri != null ? ClientAuthentication.Method.PRIVATE_KEY_JWT
							: ClientAuthentication.Method.CLIENT_SECRET_BASIC;
		}
		else {
			method = ClientAuthentication.Method.fromApiName(asked.method().trim()).orElse(null);
			if (method == null) {
				errors.add("token_endpoint_auth_method", "The authentication method must be one of "
						+ "client_secret_basic, client_secret_post, private_key_jwt or none.");
				return ClientAuthentication.SECRET;
			}
		}
		if (draft.publicClient() != (method == ClientAuthentication.Method.NONE)) {
			errors.add("token_endpoint_auth_method", draft.publicClient()
					? "A public client has no credentials: its authentication method is none."
					: "The authentication method none is for public clients only.");
			return ClientAuthentication.of(draft.publicClient());
		}
		if (method != ClientAuthentication.Method.PRIVATE_KEY_JWT) {
			if (jwks != null || jwksUri != null) {
				errors.add(jwks != null ? "jwks" : "jwks_uri",
						"Keys are used only by the private_key_jwt authentication method.");
			}
			return new ClientAuthentication(method, null, null);
		}
		if (jwks != null && jwksUri != null) {
			errors.add("jwks", "Give the keys either inline (JWKS) or as a JWKS URL, not both.");
		}
		else if (jwks == null && jwksUri == null) {
			errors.add("jwks", "A private_key_jwt client needs its public keys: a JWKS or a JWKS URL.");
		}
		else if (jwks != null) {
			String problem = problemWithJwks(jwks);
			if (problem != null) {
				errors.add("jwks", problem);
			}
			else {
				return new ClientAuthentication(method, publicJson(jwks), null);
			}
		}
		else {
			String problem = problemWithUri(jwksUri);
			if (problem != null) {
				errors.add("jwks_uri", problem);
			}
			else {
				return new ClientAuthentication(method, null, jwksUri);
			}
		}
		return ClientAuthentication.SECRET;
	}

	static @Nullable String problemWithJwks(String json) {
		if (json.getBytes(StandardCharsets.UTF_8).length > MAX_JWKS_BYTES) {
			return "The JWKS must not be larger than 64 KiB.";
		}
		JWKSet set;
		try {
			set = JWKSet.parse(json);
		}
		catch (ParseException ex) {
			return "The JWKS is not a valid JSON Web Key Set ({\"keys\": [...]}).";
		}
		if (set.getKeys().size() > MAX_KEYS) {
			return "The JWKS may hold at most " + MAX_KEYS + " keys.";
		}
		boolean signingKey = false;
		for (JWK key : set.getKeys()) {
			String kid = key.getKeyID() == null ? "" : " (kid " + abbreviate(key.getKeyID()) + ")";
			if (key.isPrivate()) {
				// a symmetric key is secret as a whole; an RSA or EC key's private part must never leave the client
				return "The JWKS holds a private or secret key" + kid + "; give only the public keys.";
			}
			if (key instanceof RSAKey rsa && rsa.size() < 2048) {
				return "The RSA key" + kid + " is shorter than 2048 bits.";
			}
			if ((key instanceof RSAKey || key instanceof ECKey)
					&& (key.getKeyUse() == null || KeyUse.SIGNATURE.equals(key.getKeyUse()))) {
				signingKey = true;
			}
		}
		if (!signingKey) {
			return "The JWKS needs at least one RSA or EC key for signatures (\"use\": \"sig\" or no \"use\").";
		}
		return null;
	}

	static @Nullable String problemWithUri(String value) {
		if (value.length() > MAX_URI_LENGTH) {
			return "The JWKS URL must not be longer than " + MAX_URI_LENGTH + " characters.";
		}
		URI uri;
		try {
			uri = new URI(value);
		}
		catch (URISyntaxException ex) {
			return "The JWKS URL is not a valid URL.";
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
			return "The JWKS URL must be an absolute https URL.";
		}
		if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
			return "The JWKS URL must not hold credentials or a fragment.";
		}
		if (scheme.equals("http") && !isLoopback(uri.getHost())) {
			return "The JWKS URL must use https (plain http only to localhost).";
		}
		return null;
	}

	private static boolean isLoopback(String host) {
		String name = host.toLowerCase(Locale.ROOT);
		return name.equals("localhost") || name.startsWith("127.") || name.equals("[::1]");
	}

	/** The set as stored: its public JSON, members in Nimbus' order. */
	private static String publicJson(String json) {
		try {
			return JWKSet.parse(json).toString(true);
		}
		catch (ParseException checkedBefore) {
			throw new IllegalStateException(checkedBefore);
		}
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return value == null || value.isBlank() ? null : value.trim();
	}

	private static String abbreviate(String value) {
		return value.length() <= 40 ? value : value.substring(0, 37) + "...";
	}

}
