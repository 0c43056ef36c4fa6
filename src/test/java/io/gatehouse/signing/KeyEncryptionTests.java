package io.gatehouse.signing;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class KeyEncryptionTests {

	final KeyEncryptionKey kek = KeyEncryptionKey.generate();

	final KeyEncryption encryption = new KeyEncryption(new SigningKeyCipher(kek, List.of()));

	@Test
	void decryptWhenEncryptedForTheSameRowThenTheSameValue() {
		String stored = encryption.encrypt("webhook:1", "whsec_value", "signing secret of webhook 1");

		assertThat(stored).startsWith("kek1:" + kek.id() + ":").doesNotContain("whsec_value");
		assertThat(encryption.decrypt("webhook:1", stored, "signing secret of webhook 1")).isEqualTo("whsec_value");
	}

	@Test
	void decryptWhenCopiedToAnotherRowThenRefusedNamingWhatButNotTheValue() {
		String stored = encryption.encrypt("webhook:1", "whsec_value", "signing secret of webhook 1");

		assertThatIllegalStateException()
			.isThrownBy(() -> encryption.decrypt("webhook:2", stored, "signing secret of webhook 2"))
			.withMessageStartingWith("GATEHOUSE_KEY_ENCRYPTION_KEY does not decrypt signing secret of webhook 2")
			.withMessageNotContaining("whsec_value");
	}

	@Test
	void decryptWhenKeyEncryptionKeyChangedWithoutPreviousThenRefused() {
		String stored = encryption.encrypt("webhook:1", "whsec_value", "signing secret of webhook 1");
		KeyEncryption other = new KeyEncryption(new SigningKeyCipher(KeyEncryptionKey.generate(), List.of()));

		assertThatIllegalStateException().isThrownBy(() -> other.decrypt("webhook:1", stored, "the secret"))
			.withMessageContaining("not among the configured ones");
	}

}
