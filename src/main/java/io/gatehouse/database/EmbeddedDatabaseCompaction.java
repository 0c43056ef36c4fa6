package io.gatehouse.database;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.db.Store;

import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the embedded H2 file from growing without bound. With {@code WRITE_DELAY=0} (see
 * {@link DurableEmbeddedDatabase}) every commit appends a chunk of changed pages to the file, most of it dead a moment
 * later, and H2's background thread, which would compact the file, does not run. Measured without this: 20 to 35 KB of
 * file per write, never given back (100 MB for 5,000 auth clients created at 50 a second; 4 GB after two minutes of
 * writes as fast as they come). So every {@link #INTERVAL_MILLIS} ms, when less than {@link #FILL_RATE_PERCENT}% of
 * the chunks is live data, this runs H2's own compaction for at most {@link #MAX_COMPACT_MILLIS} ms: it syncs the
 * file, then rewrites sparse chunks and moves chunks together over the dead ones. H2's compaction sets the retention
 * time of dead chunks to 0; it is set back afterwards, because keeping recently written chunks is what keeps the
 * file readable after a power loss.
 */
@Component
@EnableScheduling
class EmbeddedDatabaseCompaction {

	static final long INTERVAL_MILLIS = 10_000;

	static final int FILL_RATE_PERCENT = 70;

	static final int MAX_COMPACT_MILLIS = 200;

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
			Store store = session.getDatabase().getStore();
			MVStore file = store.getMvStore();
			// the live share of the chunks; the file's own fill rate counts dead chunks as used
			if (file.getFileStore().getChunksFillRate() >= FILL_RATE_PERCENT) {
				return;
			}
			int retention = file.getRetentionTime();
			try {
				store.compactFile(MAX_COMPACT_MILLIS);
			}
			finally {
				file.setRetentionTime(retention);
			}
		}
		catch (SQLException | RuntimeException ex) {
			// the file only grows until the next run; the database itself is unaffected
			logger.warn("Could not compact the database file: " + ex.getMessage());
		}
	}

}
