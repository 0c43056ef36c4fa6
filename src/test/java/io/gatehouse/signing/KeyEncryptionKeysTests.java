package io.gatehouse.signing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import com.nimbusds.jose.jwk.JWK;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class KeyEncryptionKeysTests {

	static final JWK KEY = SigningAlgorithm.ES256.generate(2048);

	static final String POSTGRES = "jdbc:postgresql://db.example:5432/gatehouse";

	@TempDir
	Path temp;

	@Test
	void resolveWhenPostgresAndNoKeyThenFailsNamingTheSetting() {
		assertThatIllegalStateException().isThrownBy(() -> KeyEncryptionKeys.resolve("", "", POSTGRES))
			.withMessageStartingWith("GATEHOUSE_KEY_ENCRYPTION_KEY is not set.")
			.withMessageContaining("openssl rand -base64 32");
		assertThatIllegalStateException()
			.isThrownBy(() -> KeyEncryptionKeys.resolve("", "", "jdbc:h2:tcp://db.example/gatehouse"))
			.withMessageStartingWith("GATEHOUSE_KEY_ENCRYPTION_KEY is not set.");
	}

	@Test
	void resolveWhenKeyIsNotThirtyTwoBytesInBase64ThenFailsNamingTheSetting() {
		for (String bad : List.of("secret", "c2hvcnQ=", "!!!!", KeyEncryptionKey.generate().encoded() + "AAAA")) {
			assertThatIllegalStateException().as(bad).isThrownBy(() -> KeyEncryptionKeys.resolve(bad, "", POSTGRES))
				.withMessageStartingWith("GATEHOUSE_KEY_ENCRYPTION_KEY is not a key-encryption key")
				.withMessageNotContaining(bad);
		}
		String good = KeyEncryptionKey.generate().encoded();
		assertThatIllegalStateException().isThrownBy(() -> KeyEncryptionKeys.resolve(good, "nope", POSTGRES))
			.withMessageStartingWith("GATEHOUSE_KEY_ENCRYPTION_KEY_PREVIOUS is not a key-encryption key");
	}

	@Test
	void resolveWhenKeyAndPreviousKeysSetThenEncryptsWithTheKeyAndDecryptsWithAll() {
		KeyEncryptionKey old = KeyEncryptionKey.generate();
		KeyEncryptionKey older = KeyEncryptionKey.generate();
		KeyEncryptionKey current = KeyEncryptionKey.generate();
		String fromOld = new SigningKeyCipher(old, List.of()).encrypt("k1", KEY);
		String fromOlder = new SigningKeyCipher(older, List.of()).encrypt("k2", KEY);

		SigningKeyCipher cipher = KeyEncryptionKeys.resolve(current.encoded(),
				old.encoded() + ", " + older.encoded().replace('+', '-').replace('/', '_').replace("=", ""), POSTGRES);

		assertThat(cipher.currentKeyId()).isEqualTo(current.id());
		assertThat(cipher.decrypt("k1", fromOld).toJSONObject()).isEqualTo(KEY.toJSONObject());
		assertThat(cipher.decrypt("k2", fromOlder).toJSONObject()).isEqualTo(KEY.toJSONObject());
	}

	@Test
	void resolveWhenEmbeddedFileAndNoKeyThenPrivateKeyFileCreatedOnceAndReused() throws Exception {
		String url = "jdbc:h2:file:" + temp + "/data/gatehouse;MODE=PostgreSQL";

		SigningKeyCipher first = KeyEncryptionKeys.resolve("", "", url);
		SigningKeyCipher second = KeyEncryptionKeys.resolve("", "", url);

		Path file = temp.resolve("data/gatehouse.kek");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("data"))))
			.isEqualTo("rwx------");
		assertThat(KeyEncryptionKey.parse(Files.readString(file), "test").id()).isEqualTo(first.currentKeyId());
		assertThat(second.currentKeyId()).isEqualTo(first.currentKeyId());
	}

	@Test
	void resolveWhenKeySetBesideAGeneratedKeyFileThenTheFileKeyStillDecrypts() {
		String url = "jdbc:h2:file:" + temp + "/data/gatehouse";
		String generatedEra = KeyEncryptionKeys.resolve("", "", url).encrypt("k1", KEY);

		SigningKeyCipher configured = KeyEncryptionKeys.resolve(KeyEncryptionKey.generate().encoded(), "", url);

		assertThat(configured.decrypt("k1", generatedEra).toJSONObject()).isEqualTo(KEY.toJSONObject());
		assertThat(configured.encryptedUnderCurrentKey(generatedEra)).isFalse();
	}

	@Test
	void resolveWhenKeyFileDamagedThenFailsNamingTheFileAndTheSetting() throws Exception {
		Files.createDirectories(temp.resolve("data"));
		Files.writeString(temp.resolve("data/gatehouse.kek"), "not a key\n");

		assertThatIllegalStateException()
			.isThrownBy(() -> KeyEncryptionKeys.resolve("", "", "jdbc:h2:file:" + temp + "/data/gatehouse"))
			.withMessageStartingWith("GATEHOUSE_KEY_ENCRYPTION_KEY is not set, and the key file ")
			.withMessageContaining("gatehouse.kek");
	}

	@Test
	void resolveWhenInMemoryThenOneKeyForTheWholeJvm() {
		assertThat(KeyEncryptionKeys.resolve("", "", "jdbc:h2:mem:a").currentKeyId())
			.isEqualTo(KeyEncryptionKeys.resolve("", "", "jdbc:h2:mem:b;DB_CLOSE_DELAY=-1").currentKeyId());
	}

}
