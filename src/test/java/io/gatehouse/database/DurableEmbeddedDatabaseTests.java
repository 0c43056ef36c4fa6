package io.gatehouse.database;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class DurableEmbeddedDatabaseTests {

	@TempDir
	Path temp;

	@Test
	void postProcessWhenH2FileUrlThenWriteDelayAndRetentionZeroWhateverTheySaid() {
		assertThat(processedUrl("jdbc:h2:file:" + temp + "/a/gatehouse;MODE=PostgreSQL"))
			.isEqualTo("jdbc:h2:file:" + temp + "/a/gatehouse;MODE=PostgreSQL;WRITE_DELAY=0;RETENTION_TIME=0");
		assertThat(processedUrl("jdbc:h2:file:" + temp
				+ "/b/gatehouse;write_delay=500;MODE=PostgreSQL;retention_time=45000;"))
			.isEqualTo("jdbc:h2:file:" + temp + "/b/gatehouse;MODE=PostgreSQL;WRITE_DELAY=0;RETENTION_TIME=0");
	}

	@Test
	void postProcessWhenInMemoryOrPostgresThenUrlUnchanged() {
		assertThat(processedUrl("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1")).isEqualTo("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1");
		assertThat(processedUrl("jdbc:postgresql://db/gatehouse")).isEqualTo("jdbc:postgresql://db/gatehouse");
	}

	@Test
	void postProcessWhenDataDirectoryMissingOrOpenThenPrivateDirectory() throws Exception {
		Path open = Files.createDirectory(temp.resolve("open"));
		Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));

		processedUrl("jdbc:h2:file:" + temp + "/fresh/gatehouse");
		processedUrl("jdbc:h2:file:" + open + "/gatehouse");

		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("fresh"))))
			.isEqualTo("rwx------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(open))).isEqualTo("rwx------");
	}

	private static String processedUrl(String url) {
		try (HikariDataSource pool = new HikariDataSource()) {
			pool.setJdbcUrl(url);
			new DurableEmbeddedDatabase().postProcessAfterInitialization(pool, "dataSource");
			return pool.getJdbcUrl();
		}
	}

}
