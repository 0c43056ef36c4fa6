package io.gatehouse.clients;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Client secrets are 256 random bits, so a fast hash is enough: nobody can guess a preimage, and the token endpoint
 * stays fast (a slow password hash here costs tens of milliseconds per token request for no gain). The prefix lets
 * secret scanners recognise a leaked Gatehouse client secret.
 */
public final class ClientSecrets {

	public static final String PREFIX = "gtcs_";

	private static final SecureRandom RANDOM = new SecureRandom();

	private ClientSecrets() {
	}

	static String generate() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	public static String hash(String secret) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	/** Constant-time comparison, so response timing says nothing about how much of a guess was right. */
	public static boolean matches(String presented, String storedHash) {
		return MessageDigest.isEqual(hash(presented).getBytes(StandardCharsets.US_ASCII),
				storedHash.getBytes(StandardCharsets.US_ASCII));
	}

}
