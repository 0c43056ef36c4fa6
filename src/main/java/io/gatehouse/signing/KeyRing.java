package io.gatehouse.signing;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import com.nimbusds.jose.jwk.JWK;

/** The signing keys as read from the database at {@code loadedAt}; which one signs depends on the instant asked. */
record KeyRing(List<SigningKey> keys, Instant loadedAt) {

	KeyRing {
		keys = List.copyOf(keys);
	}

	/** The key that signs at {@code now}: of those activated and not retired, the one activated last. */
	Optional<SigningKey> active(Instant now) {
		return keys.stream().filter(key -> key.signsAt(now)).max(Comparator.comparing(SigningKey::activatesAt));
	}

	Optional<SigningKey> pending(Instant now) {
		return keys.stream().filter(key -> key.pendingAt(now)).max(Comparator.comparing(SigningKey::activatesAt));
	}

	/** The public halves of every key a verifier may meet at {@code now}: pending, active and recently retired. */
	List<JWK> publicKeys(Instant now) {
		return keys.stream().filter(key -> key.publishedAt(now)).map(key -> key.jwk().toPublicJWK()).toList();
	}

}
