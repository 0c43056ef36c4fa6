package io.gatehouse.database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An embedded H2 file database as Gatehouse runs it ({@code WRITE_DELAY=0}, {@code RETENTION_TIME=0}) under many small
 * commits: each appends a chunk to the file, most of it dead a moment later, and H2 runs no housekeeping of its own.
 */
class EmbeddedDatabaseCompactionTests {

	private static final int COMMITS = 8000;

	@TempDir
	Path directory;

	@Test
	void compactWhenRunBetweenManySmallCommitsThenTheFileStaysSmallAndTheDatabaseOpen() {
		long withoutHousekeeping = fileAfterCommits(directory.resolve("plain"), false);
		long withHousekeeping = fileAfterCommits(directory.resolve("kept"), true);

		assertThat(withoutHousekeeping).as("file after %d commits without housekeeping", COMMITS)
			.isGreaterThan(30L * 1024 * 1024);
		assertThat(withHousekeeping)
			.as("file after %d commits with housekeeping every 200 commits (without: %d bytes)", COMMITS,
					withoutHousekeeping)
			.isLessThan(withoutHousekeeping / 2);
	}

	private static long fileAfterCommits(Path directory, boolean housekeeping) {
		String url = DurableEmbeddedDatabase.durable("jdbc:h2:file:" + directory + "/gatehouse");
		try (HikariDataSource pool = new HikariDataSource()) {
			pool.setJdbcUrl(url);
			JdbcClient jdbc = JdbcClient.create(pool);
			EmbeddedDatabaseCompaction compaction = new EmbeddedDatabaseCompaction(pool,
					new MockEnvironment().withProperty("spring.datasource.url", url));
			jdbc.sql("create table t (id varchar(64) primary key, name varchar(255), payload varchar(1000))").update();
			jdbc.sql("create index t_name on t (name)").update();
			for (int i = 0; i < COMMITS; i++) {
				String id = UUID.randomUUID().toString();
				jdbc.sql("insert into t values (:id, :name, :payload)").param("id", id).param("name", "name " + id)
					.param("payload", "x".repeat(300)).update();
				if (housekeeping && i % 200 == 0) {
					compaction.compactWhenSparse();
				}
			}
			assertThat(jdbc.sql("select count(*) from t").query(Long.class).single()).isEqualTo(COMMITS);
			return Files.size(directory.resolve("gatehouse.mv.db"));
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
