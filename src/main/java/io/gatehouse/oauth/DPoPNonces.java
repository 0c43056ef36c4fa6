package io.gatehouse.oauth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.gatehouse.secrets.Secrets;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * RFC 9449 8: the server-provided nonce, when the server asks for one ({@code gatehouse.dpop.nonce-required}). A
 * nonce is the HMAC-SHA256 of the current 5-minute window under a key kept in the database, so every node issues and
 * accepts the same nonces without talking to the others; the previous window's nonce is still accepted, so a client
 * that just got one is not refused at the turn of the window.
 */
@Component
final class DPoPNonces {

	static final Duration WINDOW = Duration.ofMinutes(5);

	private final JdbcDPoPProofRepository repository;

	private final Clock clock;

	private volatile @Nullable SecretKeySpec key;

	@Autowired
	DPoPNonces(JdbcDPoPProofRepository repository) {
		this(repository, Clock.systemUTC());
	}

	DPoPNonces(JdbcDPoPProofRepository repository, Clock clock) {
		this.repository = repository;
		this.clock = clock;
	}

	/** The nonce to send in the {@code DPoP-Nonce} header now. */
	String current() {
		return nonceOf(window());
	}

	boolean isCurrent(@Nullable String nonce) {
		if (nonce == null) {
			return false;
		}
		long window = window();
		return same(nonce, nonceOf(window)) || same(nonce, nonceOf(window - 1));
	}

	private static boolean same(String presented, String expected) {
		return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
				expected.getBytes(StandardCharsets.UTF_8));
	}

	private long window() {
		return clock.millis() / WINDOW.toMillis();
	}

	private String nonceOf(long window) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(key());
			return Base64.getUrlEncoder().withoutPadding().encodeToString(
					mac.doFinal(("dpop-nonce:" + window).getBytes(StandardCharsets.US_ASCII)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is required by every Java platform", ex);
		}
	}

	private SecretKeySpec key() {
		SecretKeySpec loaded = key;
		if (loaded == null) {
			String secret = repository.nonceKey(Secrets.generate(""));
			loaded = new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256");
			key = loaded;
		}
		return loaded;
	}

}
