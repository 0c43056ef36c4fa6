package io.gatehouse.database;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Does for the embedded H2 file what H2's background thread does when it has one: with {@code WRITE_DELAY=0} (see
 * {@link DurableEmbeddedDatabase}) there is none, every commit appends a chunk of changed pages to the file, and
 * without housekeeping the file grows by 20 to 35 KB per commit and never gives it back (measured: 600 MB for 20,000
 * single-row commits). Every {@link #INTERVAL_MILLIS} ms this runs the same two steps as H2's own maintenance: it
 * rewrites the live pages of sparse chunks ({@code MVStore.compact}, at most {@link #MAX_WRITE_BYTES} per run), and
 * frees the chunks left with no live page ({@code dropUnusedChunks}), whose space new chunks then reuse. Measured on
 * the same 20,000 commits with {@code RETENTION_TIME=0}: the file stays near 25 MB.
 * <p>
 * H2's {@code compactFile}, which also moves chunks to shrink the file, is not used: under concurrent commits it can
 * fail an internal assertion and close the database (seen with H2 2.4.240). H2 shrinks the file itself when the
 * database closes.
 */
@Component
@EnableScheduling
class EmbeddedDatabaseCompaction {

	static final long INTERVAL_MILLIS = 1_000;

	/** Chunks less full than this are rewritten, as H2's default auto-compact fill rate. */
	static final int TARGET_FILL_RATE = 90;

	static final int MAX_WRITE_BYTES = 4 * 1024 * 1024;

	private static final Log logger = LogFactory.getLog(EmbeddedDatabaseCompaction.class);

	private final DataSource dataSource;

	private final boolean embeddedFile;

	EmbeddedDatabaseCompaction(DataSource dataSource, Environment environment) {
		this.dataSource = dataSource;
		this.embeddedFile = EmbeddedDatabase.of(environment.getProperty("spring.datasource.url", ""))
			.filter(database -> !database.inMemory())
			.isPresent();
	}

	@Scheduled(fixedDelay = INTERVAL_MILLIS, initialDelay = INTERVAL_MILLIS)
	void compactWhenSparse() {
		if (!embeddedFile) {
			return;
		}
		try (Connection connection = dataSource.getConnection()) {
			if (!(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
				return;
			}
			MVStore file = session.getDatabase().getStore().getMvStore();
			file.compact(TARGET_FILL_RATE, MAX_WRITE_BYTES);
			file.getFileStore().dropUnusedChunks();
		}
		catch (SQLException | RuntimeException ex) {
			// the file only grows until the next run; the database itself is unaffected
			logger.warn("Could not compact the database file: " + ex.getMessage());
		}
	}

}
