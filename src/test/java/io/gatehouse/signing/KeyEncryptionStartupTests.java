package io.gatehouse.signing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.gatehouse.GatehouseApplication;
import io.gatehouse.support.PostgresTestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The real application started on a file database with one key-encryption key, then again with another: what an
 * operator sees, and what is in the {@code signing_key} table.
 */
@ExtendWith(OutputCaptureExtension.class)
class KeyEncryptionStartupTests {

	@TempDir
	Path directory;

	@Test
	void startWhenKeyEncryptionKeyDoesNotDecryptTheStoredKeysThenShortAnalysisNamesTheSetting(CapturedOutput output) {
		String first = KeyEncryptionKey.generate().encoded();
		String wrong = KeyEncryptionKey.generate().encoded();
		List<String> before;
		try (ConfigurableApplicationContext started = start(first, "")) {
			before = storedKeys(started);
		}

		assertThatException().isThrownBy(() -> start(wrong, ""));

		assertThat(output).contains("APPLICATION FAILED TO START",
				"GATEHOUSE_KEY_ENCRYPTION_KEY does not decrypt signing key ", "GATEHOUSE_KEY_ENCRYPTION_KEY_PREVIOUS",
				"Fix GATEHOUSE_KEY_ENCRYPTION_KEY (property gatehouse.key.encryption.key)");
		assertThat(output).doesNotContain("Caused by:", "\tat ", first, wrong);
		try (ConfigurableApplicationContext again = start(first, "")) {
			assertThat(storedKeys(again)).as("the failed start changed nothing").isEqualTo(before);
		}
	}

	@Test
	void startWhenKeyEncryptionKeyChangedAndOldOneGivenAsPreviousThenKeysReencryptedAndStillTheSame(
			CapturedOutput output) {
		KeyEncryptionKey old = KeyEncryptionKey.generate();
		KeyEncryptionKey current = KeyEncryptionKey.generate();
		String kid;
		try (ConfigurableApplicationContext started = start(old.encoded(), "")) {
			kid = started.getBean(SigningKeys.class).activeKey().kid();
		}

		try (ConfigurableApplicationContext rotated = start(current.encoded(), old.encoded())) {
			assertThat(storedKeys(rotated)).singleElement()
				.satisfies(stored -> assertThat(stored).startsWith(kid + " kek1:" + current.id() + ":"));
		}
		try (ConfigurableApplicationContext newKeyOnly = start(current.encoded(), "")) {
			assertThat(newKeyOnly.getBean(SigningKeys.class).activeKey().kid()).isEqualTo(kid);
		}
		assertThat(output).contains("Encrypted 1 signing key(s) under key-encryption key " + current.id());
		assertThat(output).doesNotContain(old.encoded(), current.encoded());
	}

	@Test
	void startWhenPostgresWithoutKeyEncryptionKeyThenShortAnalysisNamesTheSetting(CapturedOutput output) {
		String url = PostgresTestDatabase.newDatabase();

		assertThatException().isThrownBy(() -> run("--spring.datasource.url=" + url,
				"--spring.datasource.username=postgres", "--spring.datasource.password=postgres"));

		assertThat(output).contains("APPLICATION FAILED TO START", "GATEHOUSE_KEY_ENCRYPTION_KEY is not set.",
				"openssl rand -base64 32", "Fix GATEHOUSE_KEY_ENCRYPTION_KEY");
		assertThat(output).doesNotContain("Caused by:", "\tat ");
	}

	private ConfigurableApplicationContext start(String key, String previous) {
		return run("--spring.datasource.url=jdbc:h2:file:" + directory + "/data/gatehouse;MODE=PostgreSQL;"
				+ "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "--gatehouse.key.encryption.key=" + key,
				"--gatehouse.key.encryption.key.previous=" + previous);
	}

	private static ConfigurableApplicationContext run(String... settings) {
		List<String> args = new ArrayList<>(List.of(settings));
		args.add("--server.port=0");
		args.add("--gatehouse.admin.password=startup-admin-password");
		return new SpringApplication(GatehouseApplication.class).run(args.toArray(String[]::new));
	}

	private static List<String> storedKeys(ConfigurableApplicationContext context) {
		return context.getBean(JdbcClient.class).sql("select kid || ' ' || jwk from signing_key order by kid")
			.query(String.class)
			.list();
	}

}
