package io.gatehouse.signing;

import java.nio.charset.StandardCharsets;

import org.springframework.stereotype.Component;

/**
 * Encryption at rest under the key-encryption key of the signing keys ({@code GATEHOUSE_KEY_ENCRYPTION_KEY}, see
 * {@link KeyEncryptionKeys}), for other secrets the server must read back, such as the secrets webhook deliveries
 * are signed with (a hash could not sign). AES-256-GCM with a fresh nonce; the associated data (the row's id, say)
 * binds a ciphertext to its row, so a value copied to another row does not decrypt.
 */
@Component
public class KeyEncryption {

	private final SigningKeyCipher cipher;

	KeyEncryption(SigningKeyCipher cipher) {
		this.cipher = cipher;
	}

	/** The value encrypted under the current key, as {@code kek1:<key id>:<base64url>}. */
	public String encrypt(String associatedData, String plaintext, String what) {
		return cipher.seal(associatedData, plaintext.getBytes(StandardCharsets.UTF_8), what);
	}

	/**
	 * The value {@link #encrypt} stored with the same associated data.
	 * @throws IllegalStateException naming {@code what} (never the value) when no configured key decrypts it
	 */
	public String decrypt(String associatedData, String stored, String what) {
		return new String(cipher.open(associatedData, stored, what), StandardCharsets.UTF_8);
	}

}
