package io.gatehouse.signing;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.jspecify.annotations.Nullable;

/**
 * The signing keys as Spring's authorization server asks for them. Three kinds of callers, told apart by their
 * selector:
 * <ul>
 * <li>{@code NimbusJwtEncoder} asks for a key by algorithm, without a key ID: it gets only the active key (private
 * part included), so it never finds two candidates and never signs with a pending or retired key;</li>
 * <li>a verifier ({@code NimbusJwtDecoder}) asks by the token's key ID: it gets that key from the published set;</li>
 * <li>the JWK Set endpoint asks for everything: it gets the public halves of every published key.</li>
 * </ul>
 */
final class SigningKeyJwkSource implements JWKSource<SecurityContext> {

	private final SigningKeys keys;

	SigningKeyJwkSource(SigningKeys keys) {
		this.keys = keys;
	}

	@Override
	public List<JWK> get(JWKSelector selector, @Nullable SecurityContext context) {
		JWKMatcher matcher = selector.getMatcher();
		if (asksForSigningKey(matcher)) {
			return selector.select(new JWKSet(keys.activeKey().jwk()));
		}
		if (hasAny(matcher.getKeyIDs())) {
			// an encoder given an explicit kid may sign only if it names the active key
			return selector.select(keys.publicKeysAndActivePrivateKey());
		}
		return selector.select(keys.publicKeys());
	}

	/** NimbusJwtEncoder's matcher: by algorithm (RSA, EC) or private-only (HMAC), and no key ID. */
	static boolean asksForSigningKey(JWKMatcher matcher) {
		return !hasAny(matcher.getKeyIDs()) && (matcher.isPrivateOnly() || hasAny(matcher.getAlgorithms()));
	}

	private static boolean hasAny(@Nullable Set<?> values) {
		return values != null && values.stream().anyMatch(Objects::nonNull);
	}

}
