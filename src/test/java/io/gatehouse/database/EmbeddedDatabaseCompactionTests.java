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
 * An embedded H2 file database with {@code WRITE_DELAY=0}, as Gatehouse runs it, after many small commits: each wrote a
 * chunk to the file, most of which is dead a moment later, and H2's own compaction does not run.
 */
class EmbeddedDatabaseCompactionTests {

	@TempDir
	Path directory;

	@Test
	void compactWhenSparseWhenManySmallCommitsThenTheFileShrinksToAFractionOfIt() throws Exception {
		String url = DurableEmbeddedDatabase.withoutWriteDelay("jdbc:h2:file:" + directory + "/gatehouse");
		try (HikariDataSource pool = new HikariDataSource()) {
			pool.setJdbcUrl(url);
			JdbcClient jdbc = JdbcClient.create(pool);
			jdbc.sql("create table t (id varchar(64) primary key, name varchar(255), payload varchar(1000))").update();
			jdbc.sql("create index t_name on t (name)").update();
			for (int i = 0; i < 3000; i++) {
				String id = UUID.randomUUID().toString();
				jdbc.sql("insert into t values (:id, :name, :payload)").param("id", id).param("name", "name " + id)
					.param("payload", "x".repeat(300)).update();
			}
			long grown = Files.size(directory.resolve("gatehouse.mv.db"));
			EmbeddedDatabaseCompaction compaction = new EmbeddedDatabaseCompaction(pool,
					new MockEnvironment().withProperty("spring.datasource.url", url));

			for (int run = 0; run < 10; run++) {
				compaction.compactWhenSparse();
			}

			assertThat(grown).as("file after the commits").isGreaterThan(10L * 1024 * 1024);
			assertThat(Files.size(directory.resolve("gatehouse.mv.db"))).as("file after compaction")
				.isLessThan(grown / 4);
			assertThat(jdbc.sql("select count(*) from t").query(Long.class).single()).isEqualTo(3000);
		}
	}

}
