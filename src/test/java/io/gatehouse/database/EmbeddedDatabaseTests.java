package io.gatehouse.database;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedDatabaseTests {

	@Test
	void ofWhenDefaultFileUrlThenPathDirectoryAndSiblings() {
		EmbeddedDatabase database = EmbeddedDatabase
			.of("jdbc:h2:file:./data/gatehouse;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE").orElseThrow();

		assertThat(database.inMemory()).isFalse();
		assertThat(database.path()).isEqualTo(Path.of("./data/gatehouse"));
		assertThat(database.directory()).contains(Path.of("./data").toAbsolutePath());
		assertThat(database.sibling(".kek")).contains(Path.of("./data/gatehouse.kek"));
		assertThat(database.owns(Path.of("data/gatehouse.mv.db"))).isTrue();
		assertThat(database.owns(Path.of("data/other.mv.db"))).isFalse();
	}

	@Test
	void ofWhenPathWithoutFilePrefixOrInHomeThenEmbeddedFile() {
		assertThat(EmbeddedDatabase.of("jdbc:h2:/var/lib/gatehouse/db").orElseThrow().path())
			.isEqualTo(Path.of("/var/lib/gatehouse/db"));
		assertThat(EmbeddedDatabase.of("jdbc:h2:~/gatehouse").orElseThrow().path())
			.isEqualTo(Path.of(System.getProperty("user.home"), "gatehouse"));
	}

	@Test
	void ofWhenInMemoryThenNoFiles() {
		EmbeddedDatabase database = EmbeddedDatabase.of("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1").orElseThrow();

		assertThat(database.inMemory()).isTrue();
		assertThat(database.directory()).isEmpty();
		assertThat(database.sibling(".kek")).isEmpty();
	}

	@Test
	void ofWhenPostgresOrH2ServerOrOtherFileSystemThenNotEmbeddedFiles() {
		assertThat(EmbeddedDatabase.of("jdbc:postgresql://db:5432/gatehouse")).isEmpty();
		assertThat(EmbeddedDatabase.of("jdbc:h2:tcp://db:9092/gatehouse")).isEmpty();
		assertThat(EmbeddedDatabase.of("jdbc:h2:ssl://db/gatehouse")).isEmpty();
		assertThat(EmbeddedDatabase.of("jdbc:h2:zip:~/backup.zip!/gatehouse")).isEmpty();
	}

}
