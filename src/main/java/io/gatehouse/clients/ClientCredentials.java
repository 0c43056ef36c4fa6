package io.gatehouse.clients;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;

import io.gatehouse.secrets.Secrets;

import org.jspecify.annotations.Nullable;

/**
 * A live client with its active secrets, for client authentication: each secret's id and expiry by the SHA-256 of
 * its value (never the value). Cached by the token endpoint, so it carries the expiries and is checked at each use:
 * an expired secret stops working at its expiry on every node without anyone having to say so; a revoked one is
 * dropped from every node's cache by the client's change signal.
 */
public final class ClientCredentials {

	/** An active secret: its id (to record its use) and when it stops working (null: until revoked). */
	record ActiveSecret(String id, String hash, @Nullable Instant expiresAt) {
	}

	private final AuthClient client;

	private final Map<String, ActiveSecret> secretsByHash;

	ClientCredentials(AuthClient client, Map<String, ActiveSecret> secretsByHash) {
		this.client = client;
		this.secretsByHash = Map.copyOf(secretsByHash);
	}

	public AuthClient client() {
		return client;
	}

	/**
	 * The active secret whose value was presented, unexpired at {@code now}; null when none. One lookup by the
	 * presented value's SHA-256, however many secrets the client holds, then a constant-time comparison of the hash.
	 */
	@Nullable ActiveSecret match(String presented, Instant now) {
		String hash = Secrets.sha256(presented);
		ActiveSecret secret = secretsByHash.get(hash);
		if (secret == null || !MessageDigest.isEqual(secret.hash().getBytes(StandardCharsets.US_ASCII),
				hash.getBytes(StandardCharsets.US_ASCII))) {
			return null;
		}
		return secret.expiresAt() == null || secret.expiresAt().isAfter(now) ? secret : null;
	}

	@Override
	public String toString() {
		return "ClientCredentials[client=" + client.id() + ", secrets=" + secretsByHash.size() + "]";
	}

}
