package io.gatehouse.signing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import com.nimbusds.jose.jwk.JWK;

/**
 * Encrypts a private signing key (its JWK JSON) for the {@code signing_key} table with AES-256-GCM, and decrypts it.
 * Stored form: {@code kek1:<key-encryption key id>:<base64url(96-bit random nonce, ciphertext and 128-bit tag)>}; the
 * key's {@code kid} is the associated data, so a ciphertext moved to another row does not decrypt. Any of the
 * configured key-encryption keys decrypts (the current one and, while a change of key is under way, the previous
 * ones); only the current one encrypts.
 */
final class SigningKeyCipher {

	private static final String FORMAT = "kek1";

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private static final String TRANSFORMATION = "AES/GCM/NoPadding";

	private final SecureRandom random = new SecureRandom();

	private final KeyEncryptionKey current;

	private final Map<String, KeyEncryptionKey> keys = new LinkedHashMap<>();

	SigningKeyCipher(KeyEncryptionKey current, List<KeyEncryptionKey> previous) {
		this.current = current;
		keys.put(current.id(), current);
		previous.forEach(key -> keys.putIfAbsent(key.id(), key));
	}

	String encrypt(String kid, JWK jwk) {
		return seal(kid, jwk.toJSONString().getBytes(StandardCharsets.UTF_8), "signing key " + kid);
	}

	/** {@code plaintext} sealed under the current key, {@code associatedData} bound to it; {@code what} for errors. */
	String seal(String associatedData, byte[] plaintext, String what) {
		byte[] nonce = new byte[NONCE_BYTES];
		random.nextBytes(nonce);
		try {
			Cipher cipher = Cipher.getInstance(TRANSFORMATION);
			cipher.init(Cipher.ENCRYPT_MODE, current.key(), new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = cipher.doFinal(plaintext);
			byte[] stored = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
			return FORMAT + ":" + current.id() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(stored);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not encrypt " + what, ex);
		}
	}

	/**
	 * The signing key stored as {@code stored}. Fails with a message that starts with
	 * {@code GATEHOUSE_KEY_ENCRYPTION_KEY} when no configured key-encryption key decrypts it.
	 */
	JWK decrypt(String kid, String stored) {
		String[] parts = stored.split(":", 3);
		if (parts.length != 3 || !parts[0].equals(FORMAT)) {
			throw new IllegalStateException("Signing key " + kid + " is not stored in an encrypted form Gatehouse "
					+ "knows" + (isPlainJwk(stored) ? " (it is plain JSON; starting Gatehouse encrypts it)" : "")
					+ ".");
		}
		byte[] json = open(kid, stored, "signing key " + kid);
		try {
			return JWK.parse(new String(json, StandardCharsets.UTF_8));
		}
		catch (ParseException ex) {
			throw new IllegalStateException("Could not decrypt signing key " + kid, ex);
		}
	}

	/**
	 * What {@link #seal} sealed with the same associated data. Fails with a message that starts with
	 * {@code GATEHOUSE_KEY_ENCRYPTION_KEY} and names {@code what} (never the value) when no configured key opens it.
	 */
	byte[] open(String associatedData, String stored, String what) {
		String[] parts = stored.split(":", 3);
		if (parts.length != 3 || !parts[0].equals(FORMAT)) {
			throw new IllegalStateException("The " + what + " is not stored in an encrypted form Gatehouse knows.");
		}
		KeyEncryptionKey key = keys.get(parts[1]);
		if (key == null) {
			throw new IllegalStateException(KeyEncryptionKeys.SETTING + " does not decrypt " + what
					+ ": it is encrypted under key-encryption key " + parts[1]
					+ ", which is not among the configured ones ("
					+ String.join(", ", keys.keySet()) + "). Set " + KeyEncryptionKeys.SETTING + " to the key it was "
					+ "encrypted with, or, when changing the key, that old key in " + KeyEncryptionKeys.PREVIOUS_SETTING
					+ ".");
		}
		try {
			byte[] sealed = Base64.getUrlDecoder().decode(parts[2]);
			Cipher cipher = Cipher.getInstance(TRANSFORMATION);
			cipher.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
			cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
			return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
		}
		catch (AEADBadTagException | IllegalArgumentException ex) {
			throw new IllegalStateException(KeyEncryptionKeys.SETTING + " does not decrypt " + what
					+ ": its stored value does not authenticate under key-encryption key " + key.id()
					+ " (it was altered, or belongs to another row).");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not decrypt " + what, ex);
		}
	}

	/** Whether the stored value is encrypted under the current key-encryption key, so needs no re-encryption. */
	boolean encryptedUnderCurrentKey(String stored) {
		return stored.startsWith(FORMAT + ":" + current.id() + ":");
	}

	/** A row written before signing keys were encrypted: the JWK's JSON as is. */
	static boolean isPlainJwk(String stored) {
		return stored.stripLeading().startsWith("{");
	}

	String currentKeyId() {
		return current.id();
	}

}
