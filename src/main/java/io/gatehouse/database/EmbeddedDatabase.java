package io.gatehouse.database;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * An H2 database that runs inside this process, as named by a JDBC URL: in memory, or in files on this machine (the
 * default, {@code jdbc:h2:file:./data/gatehouse}). Anything else, PostgreSQL or an H2 server reached over TCP, is not
 * embedded: its files, if any, are on another machine.
 *
 * @param path the database's file path without H2's suffixes ({@code ./data/gatehouse} for the files
 * {@code ./data/gatehouse.mv.db}, ...), or null for an in-memory database
 */
public record EmbeddedDatabase(@Nullable Path path) {

	private static final String H2 = "jdbc:h2:";

	/** The embedded database the URL names, or empty for any other database. */
	public static Optional<EmbeddedDatabase> of(String jdbcUrl) {
		if (!jdbcUrl.regionMatches(true, 0, H2, 0, H2.length())) {
			return Optional.empty();
		}
		String name = databaseName(jdbcUrl);
		String lower = name.toLowerCase(Locale.ROOT);
		if (lower.startsWith("mem:")) {
			return Optional.of(new EmbeddedDatabase(null));
		}
		if (lower.startsWith("tcp:") || lower.startsWith("ssl:")) {
			return Optional.empty();
		}
		if (lower.startsWith("file:")) {
			name = name.substring("file:".length());
		}
		else if (name.matches("^[A-Za-z]{2,}:.*")) {
			// another of H2's file systems (nio:, split:, zip:, ...): embedded, but not files Gatehouse can manage
			return Optional.empty();
		}
		if (name.startsWith("~")) {
			// H2 expands a leading ~ to the user's home directory
			name = System.getProperty("user.home") + name.substring(1);
		}
		return Optional.of(new EmbeddedDatabase(Path.of(name)));
	}

	public boolean inMemory() {
		return path == null;
	}

	/** The directory of the database's files; empty in memory. */
	public Optional<Path> directory() {
		return Optional.ofNullable(path).map(Path::toAbsolutePath).map(Path::getParent);
	}

	/**
	 * A file beside the database, named like it: {@code sibling(".kek")} of {@code ./data/gatehouse} is
	 * {@code ./data/gatehouse.kek}. Empty in memory.
	 */
	public Optional<Path> sibling(String suffix) {
		return Optional.ofNullable(path).map(file -> file.resolveSibling(file.getFileName() + suffix));
	}

	/** Whether a file in the database's directory belongs to it ({@code gatehouse.mv.db}, {@code gatehouse.kek}). */
	boolean owns(Path file) {
		return path != null && file.getFileName().toString().startsWith(path.getFileName() + ".");
	}

	/** The URL without its {@code ;KEY=VALUE} settings and without {@code jdbc:h2:}. */
	private static String databaseName(String jdbcUrl) {
		String name = jdbcUrl.substring(H2.length());
		int settings = name.indexOf(';');
		return settings < 0 ? name : name.substring(0, settings);
	}

}
