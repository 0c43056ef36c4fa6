package io.gatehouse.signing;

import java.util.List;

import com.nimbusds.jose.jwk.JWK;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SigningKeyCipherTests {

	static final JWK KEY = SigningAlgorithm.ES256.generate(2048);

	final KeyEncryptionKey kek = KeyEncryptionKey.generate();

	final SigningKeyCipher cipher = new SigningKeyCipher(kek, List.of());

	@Test
	void decryptWhenEncryptedForTheSameKidThenTheSamePrivateKey() {
		String stored = cipher.encrypt(KEY.getKeyID(), KEY);

		assertThat(stored).startsWith("kek1:" + kek.id() + ":").doesNotContain(KEY.toJSONObject().get("d").toString());
		assertThat(cipher.decrypt(KEY.getKeyID(), stored).toJSONObject()).isEqualTo(KEY.toJSONObject());
	}

	@Test
	void encryptWhenSameKeyTwiceThenDifferentCiphertexts() {
		assertThat(cipher.encrypt(KEY.getKeyID(), KEY)).isNotEqualTo(cipher.encrypt(KEY.getKeyID(), KEY));
	}

	@Test
	void decryptWhenCiphertextMovedToAnotherKidThenRefused() {
		String stored = cipher.encrypt(KEY.getKeyID(), KEY);

		assertThatIllegalStateException().isThrownBy(() -> cipher.decrypt("another-kid", stored))
			.withMessageStartingWith("GATEHOUSE_KEY_ENCRYPTION_KEY does not decrypt signing key another-kid")
			.withMessageContaining("does not authenticate");
	}

	@Test
	void decryptWhenCiphertextAlteredThenRefused() {
		String stored = cipher.encrypt(KEY.getKeyID(), KEY);
		char last = stored.charAt(stored.length() - 2);
		String altered = stored.substring(0, stored.length() - 2) + (last == 'A' ? 'B' : 'A')
				+ stored.charAt(stored.length() - 1);

		assertThatIllegalStateException().isThrownBy(() -> cipher.decrypt(KEY.getKeyID(), altered))
			.withMessageContaining("does not authenticate");
	}

	@Test
	void decryptWhenEncryptedUnderAPreviousKeyThenDecryptsAndIsNotCurrent() {
		String stored = new SigningKeyCipher(kek, List.of()).encrypt(KEY.getKeyID(), KEY);
		SigningKeyCipher rotated = new SigningKeyCipher(KeyEncryptionKey.generate(), List.of(kek));

		assertThat(rotated.decrypt(KEY.getKeyID(), stored).toJSONObject()).isEqualTo(KEY.toJSONObject());
		assertThat(rotated.encryptedUnderCurrentKey(stored)).isFalse();
		assertThat(rotated.encryptedUnderCurrentKey(rotated.encrypt(KEY.getKeyID(), KEY))).isTrue();
	}

	@Test
	void decryptWhenEncryptedUnderAKeyNotConfiguredThenFailsNamingBothSettings() {
		String stored = cipher.encrypt(KEY.getKeyID(), KEY);
		SigningKeyCipher other = new SigningKeyCipher(KeyEncryptionKey.generate(), List.of());

		assertThatIllegalStateException().isThrownBy(() -> other.decrypt(KEY.getKeyID(), stored))
			.withMessageStartingWith("GATEHOUSE_KEY_ENCRYPTION_KEY does not decrypt signing key " + KEY.getKeyID()
					+ ": it is encrypted under key-encryption key " + kek.id())
			.withMessageContaining("GATEHOUSE_KEY_ENCRYPTION_KEY_PREVIOUS");
	}

	@Test
	void toStringWhenPrintedThenOnlyTheKeyId() {
		assertThat(kek.toString()).isEqualTo("key-encryption key " + kek.id()).doesNotContain(kek.encoded());
	}

}
