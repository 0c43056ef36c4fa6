package io.gatehouse.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Prepares an embedded H2 file database before its pool opens the first connection, and tightens its files once the
 * application has started:
 * <ul>
 * <li>{@code WRITE_DELAY=0} and {@code RETENTION_TIME=0} in the URL (replacing any other values; see
 * {@link #durable}). H2's default write delay, 500 ms, commits in memory and
 * leaves writing the file to a background thread, so a process that dies loses up to half a second of acknowledged
 * writes. With 0, each commit writes its changes to the file before it returns (H2 does not fsync them; the
 * operating system does, later).</li>
 * <li>The data directory is created {@code rwx------} (or made so), so the files H2 creates in it are out of other
 * accounts' reach from the start whatever the umask; after start-up the database's files are made
 * {@code rw-------} too.</li>
 * </ul>
 */
@Component
class DurableEmbeddedDatabase implements BeanPostProcessor, SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(DurableEmbeddedDatabase.class);

	private static final String WRITE_DELAY = "WRITE_DELAY";

	private static final String RETENTION_TIME = "RETENTION_TIME";

	private @Nullable EmbeddedDatabase database;

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null) {
			EmbeddedDatabase.of(pool.getJdbcUrl()).filter(found -> !found.inMemory()).ifPresent(found -> {
				database = found;
				found.directory().ifPresent(DurableEmbeddedDatabase::createPrivateDirectory);
				pool.setJdbcUrl(durable(pool.getJdbcUrl()));
			});
		}
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		EmbeddedDatabase found = database;
		Path directory = found == null ? null : found.directory().orElse(null);
		if (found == null || directory == null || !Files.isDirectory(directory)) {
			return;
		}
		try (Stream<Path> files = Files.list(directory)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				if (found.owns(file) && Files.isRegularFile(file)) {
					PrivateFiles.restrictFile(file);
				}
			}
		}
		catch (IOException ex) {
			logger.warn("Could not make the database files in " + directory + " private: " + ex.getMessage());
		}
	}

	/**
	 * The URL with {@code WRITE_DELAY=0} and {@code RETENTION_TIME=0}, whatever it said before. Without a write delay
	 * H2 runs no background housekeeping, and every commit appends a chunk to the file (20 to 35 KB); a chunk whose
	 * pages are all dead is reusable only after the retention time, 45 s by default. At a thousand commits a second
	 * that is over a gigabyte of dead chunks in flight, so the retention is 0: dead chunks are reused as soon as the
	 * housekeeping ({@link EmbeddedDatabaseCompaction}) frees them. The retention exists for power loss, which H2
	 * without fsync does not survive intact anyway; see the README on durability.
	 */
	static String durable(String url) {
		String[] parts = url.split(";");
		StringBuilder durable = new StringBuilder(parts[0]);
		for (int i = 1; i < parts.length; i++) {
			String setting = parts[i].trim();
			String upper = setting.toUpperCase(Locale.ROOT);
			if (!setting.isEmpty() && !upper.startsWith(WRITE_DELAY + "=") && !upper.startsWith(RETENTION_TIME + "=")) {
				durable.append(';').append(setting);
			}
		}
		return durable.append(';').append(WRITE_DELAY).append("=0;").append(RETENTION_TIME).append("=0").toString();
	}

	private static void createPrivateDirectory(Path directory) {
		try {
			PrivateFiles.createDirectory(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create the data directory " + directory, ex);
		}
	}

}
