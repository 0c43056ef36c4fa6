package io.gatehouse.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.gatehouse.database.EmbeddedDatabase;
import io.gatehouse.database.PrivateFiles;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Where the key-encryption key of the signing keys comes from:
 * <ul>
 * <li>{@code GATEHOUSE_KEY_ENCRYPTION_KEY}, when set; required in production, that is with any database other than
 * the embedded H2 (PostgreSQL, or an H2 server), because the key must not live where the database does;</li>
 * <li>otherwise, on the embedded H2 file database, a key generated on first start and kept in a file beside it
 * ({@code data/gatehouse.kek}, {@code rw-------});</li>
 * <li>otherwise, on an in-memory H2 database, a key that lives as long as this JVM, like the database.</li>
 * </ul>
 * {@code GATEHOUSE_KEY_ENCRYPTION_KEY_PREVIOUS} holds the keys used before a change of key (comma-separated); they
 * only decrypt. A key file beside the database also decrypts when a key is set, so a deployment can move from the
 * generated key to its own.
 */
@Configuration(proxyBeanMethods = false)
class KeyEncryptionKeys {

	static final String SETTING = "GATEHOUSE_KEY_ENCRYPTION_KEY";

	static final String PREVIOUS_SETTING = "GATEHOUSE_KEY_ENCRYPTION_KEY_PREVIOUS";

	static final String KEY_FILE_SUFFIX = ".kek";

	private static final Log logger = LogFactory.getLog(KeyEncryptionKeys.class);

	@Bean
	SigningKeyCipher signingKeyCipher(Environment environment) {
		return resolve(environment.getProperty("gatehouse.key.encryption.key", ""),
				environment.getProperty("gatehouse.key.encryption.key.previous", ""),
				environment.getProperty("spring.datasource.url", ""));
	}

	static SigningKeyCipher resolve(String configured, String previous, String datasourceUrl) {
		List<KeyEncryptionKey> previousKeys = new ArrayList<>();
		for (String each : previous.split("[,\\s]+")) {
			if (!each.isBlank()) {
				previousKeys.add(KeyEncryptionKey.parse(each, PREVIOUS_SETTING));
			}
		}
		Optional<EmbeddedDatabase> embedded = EmbeddedDatabase.of(datasourceUrl);
		Optional<Path> keyFile = embedded.flatMap(database -> database.sibling(KEY_FILE_SUFFIX));
		if (!configured.isBlank()) {
			KeyEncryptionKey current = KeyEncryptionKey.parse(configured, SETTING);
			keyFile.filter(Files::exists).ifPresent(file -> previousKeys.add(read(file)));
			return new SigningKeyCipher(current, previousKeys);
		}
		if (embedded.isPresent() && embedded.get().inMemory()) {
			return new SigningKeyCipher(InMemory.KEY, previousKeys);
		}
		if (keyFile.isPresent()) {
			return new SigningKeyCipher(readOrCreate(keyFile.get()), previousKeys);
		}
		throw new IllegalStateException(SETTING + " is not set. Gatehouse encrypts the token signing keys it keeps in "
				+ "the database with this key, and needs it for any database but its embedded H2 file database. "
				+ "Generate one with \"openssl rand -base64 32\" and keep it apart from the database and its backups.");
	}

	private static KeyEncryptionKey readOrCreate(Path file) {
		if (Files.exists(file)) {
			return read(file);
		}
		KeyEncryptionKey key = KeyEncryptionKey.generate();
		try {
			Path directory = file.toAbsolutePath().getParent();
			if (directory != null) {
				PrivateFiles.createDirectory(directory);
			}
			PrivateFiles.createFile(file, (key.encoded() + "\n").getBytes(StandardCharsets.US_ASCII));
		}
		catch (FileAlreadyExistsException ex) {
			return read(file);
		}
		catch (IOException ex) {
			throw new IllegalStateException(SETTING + " is not set, and Gatehouse could not create the key file " + file
					+ " beside the database: " + ex.getMessage(), ex);
		}
		logger.info("Created the key-encryption key of the token signing keys in " + file + ". Keep it with the "
				+ "database, in backups too: without it the signing keys cannot be read.");
		return key;
	}

	private static KeyEncryptionKey read(Path file) {
		String text;
		try {
			text = Files.readString(file, StandardCharsets.US_ASCII);
		}
		catch (IOException ex) {
			throw new IllegalStateException(SETTING + " is not set, and the key file " + file
					+ " beside the database cannot be read: " + ex.getMessage(), ex);
		}
		try {
			return KeyEncryptionKey.parse(text, SETTING);
		}
		catch (IllegalStateException ex) {
			throw new IllegalStateException(SETTING + " is not set, and the key file " + file
					+ " beside the database does not hold a key-encryption key (" + KeyEncryptionKey.BYTES
					+ " bytes in base64).");
		}
	}

	/** One key per JVM for in-memory databases, which every Spring context of the JVM may share. */
	private static final class InMemory {

		static final KeyEncryptionKey KEY = KeyEncryptionKey.generate();

	}

}
