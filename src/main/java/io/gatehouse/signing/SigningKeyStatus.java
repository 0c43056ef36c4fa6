package io.gatehouse.signing;

import java.time.Instant;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * The active signing key's age and the next rotation, for the console's dashboard: read from the node's cached key
 * ring (at most a minute old), no query of its own.
 */
@Component
public class SigningKeyStatus {

	/**
	 * @param kid the active key's ID
	 * @param algorithm its JWS algorithm
	 * @param signingSince when it started signing
	 * @param nextRotation when the next key starts signing: the pending key's start, or the active key's start plus
	 * the rotation period and the overlap (the next key is created a period after the active one started signing)
	 */
	public record ActiveKey(String kid, String algorithm, Instant signingSince, Instant nextRotation) {
	}

	private final SigningKeys keys;

	private final SigningKeySettings settings;

	SigningKeyStatus(SigningKeys keys, SigningKeySettings settings) {
		this.keys = keys;
		this.settings = settings;
	}

	/** The key that signs now; empty when none does (or the keys cannot be loaded). */
	public Optional<ActiveKey> activeKey() {
		try {
			Instant now = keys.now();
			KeyRing ring = keys.current();
			return ring.active(now).map(active -> new ActiveKey(active.kid(), active.algorithm().name(),
					active.activatesAt(), ring.pending(now).map(SigningKey::activatesAt)
						.orElse(active.activatesAt().plus(settings.rotationPeriod()).plus(settings.overlap()))));
		}
		catch (RuntimeException ex) {
			// the key ring could not be loaded (database down): the dashboard shows no key rather than failing
			return Optional.empty();
		}
	}

}
