package io.gatehouse.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * An AES-256 key that encrypts the private signing keys in the database. Its {@code id} is a short fingerprint
 * (the first 4 bytes of a SHA-256 over the key), stored with each ciphertext so that, after the key was changed,
 * Gatehouse knows which configured key decrypts a row. The fingerprint reveals nothing useful about a 256-bit key;
 * the key itself is never logged or printed.
 */
record KeyEncryptionKey(String id, SecretKey key) {

	static final int BYTES = 32;

	private static final SecureRandom RANDOM = new SecureRandom();

	static KeyEncryptionKey of(byte[] bytes) {
		if (bytes.length != BYTES) {
			throw new IllegalArgumentException("A key-encryption key has " + BYTES + " bytes, not " + bytes.length);
		}
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			sha256.update("gatehouse key-encryption key".getBytes(StandardCharsets.US_ASCII));
			String id = HexFormat.of().formatHex(sha256.digest(bytes), 0, 4);
			return new KeyEncryptionKey(id, new SecretKeySpec(bytes, "AES"));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("This JVM has no SHA-256", ex);
		}
	}

	/**
	 * The key in a setting: 32 bytes in base64 (standard or URL-safe, padding optional), as printed by
	 * {@code openssl rand -base64 32}. A bad value fails with a message that starts with the setting's name.
	 */
	static KeyEncryptionKey parse(String base64, String setting) {
		byte[] bytes;
		try {
			String text = base64.strip().replace('-', '+').replace('_', '/');
			bytes = Base64.getDecoder().decode(text);
		}
		catch (IllegalArgumentException ex) {
			bytes = new byte[0];
		}
		if (bytes.length != BYTES) {
			throw new IllegalStateException(setting + " is not a key-encryption key: it must be " + BYTES
					+ " random bytes in base64, such as the output of \"openssl rand -base64 32\".");
		}
		return of(bytes);
	}

	static KeyEncryptionKey generate() {
		byte[] bytes = new byte[BYTES];
		RANDOM.nextBytes(bytes);
		return of(bytes);
	}

	/** The key in the form {@link #parse} reads. */
	String encoded() {
		return Base64.getEncoder().encodeToString(key.getEncoded());
	}

	@Override
	public String toString() {
		return "key-encryption key " + id;
	}

}
