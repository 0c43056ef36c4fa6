package io.gatehouse.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Secrets of 256 random bits, with a prefix that lets secret scanners recognise a leaked one. With that much entropy a
 * fast hash is enough to store them: nobody can guess a preimage, and checking one stays a microsecond where a slow
 * password hash would cost tens of milliseconds per request for no gain. Never used for user passwords.
 */
public final class Secrets {

	private static final SecureRandom RANDOM = new SecureRandom();

	private Secrets() {
	}

	/** {@code prefix} followed by 256 random bits, base64url without padding. */
	public static String generate(String prefix) {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/** The SHA-256 of the value's UTF-8 bytes, as 64 lower-case hex digits: what is stored instead of the value. */
	public static String sha256(String value) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	/** Constant-time comparison, so response timing says nothing about how much of a guess was right. */
	public static boolean matches(String presented, String storedHash) {
		return MessageDigest.isEqual(sha256(presented).getBytes(StandardCharsets.US_ASCII),
				storedHash.getBytes(StandardCharsets.US_ASCII));
	}

}
