package io.gatehouse.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import io.gatehouse.GatehouseApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The real application on a fresh embedded file database: what it leaves on the disk for other accounts to see. */
class PrivateDataDirectoryStartupTests {

	@TempDir
	Path directory;

	@Test
	void startWhenDataDirectoryIsNewThenItIsPrivateAndSoAreItsFiles() throws IOException {
		Path data = directory.resolve("data");
		try (ConfigurableApplicationContext started = new SpringApplication(GatehouseApplication.class).run(
				"--spring.datasource.url=jdbc:h2:file:" + data + "/gatehouse;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
						+ "DEFAULT_NULL_ORDERING=HIGH",
				"--server.port=0", "--gatehouse.admin.password=startup-admin-password")) {

			assertThat(mode(data)).isEqualTo("rwx------");
			assertThat(files(data)).contains(data.resolve("gatehouse.mv.db"), data.resolve("gatehouse.kek"))
				.allSatisfy(file -> assertThat(mode(file)).as(file.toString()).isEqualTo("rw-------"));
		}
	}

	private static List<Path> files(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			return files.toList();
		}
	}

	private static String mode(Path path) {
		try {
			return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
