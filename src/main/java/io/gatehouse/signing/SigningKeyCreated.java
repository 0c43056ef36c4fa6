package io.gatehouse.signing;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Published in the transaction that creates a signing key, for the audit log: a rotation (the next key, which
 * replaces the active one at {@code activatesAt}), or a key that signs at once because none did. Carries the key's
 * id, never the key.
 *
 * @param replacesKid the key it takes over from; null when no key was active
 */
public record SigningKeyCreated(String kid, String algorithm, Instant activatesAt, @Nullable String replacesKid) {
}
