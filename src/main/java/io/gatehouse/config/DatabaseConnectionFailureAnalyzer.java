package io.gatehouse.config;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Start-up could not open a database connection: names the database (never its password) and the settings to fix,
 * instead of a chain of bean-creation traces. Other SQL failures (a broken migration, say) are left to Spring Boot.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class DatabaseConnectionFailureAnalyzer implements FailureAnalyzer {

	// H2: "Database may be already in use" (the file is locked by another process)
	private static final String H2_DATABASE_IN_USE = "90020";

	private final Environment environment;

	DatabaseConnectionFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		SQLException cause = deepestSqlException(failure);
		if (cause == null || cause.getSQLState() == null) {
			return null;
		}
		String state = cause.getSQLState();
		String url = StartupSettings.displayUrl(environment.getProperty("spring.datasource.url", ""));
		String reason = firstLine(cause.getMessage());
		if (state.startsWith("28")) {
			return new FailureAnalysis("The database at " + url + " refused the user name or password: " + reason,
					"Set SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD (spring.datasource.username, "
							+ "spring.datasource.password) to an account of that database.",
					failure);
		}
		if (state.equals("3D000")) {
			return new FailureAnalysis("The database named in " + url + " does not exist: " + reason,
					"Create the database, or correct the database name in SPRING_DATASOURCE_URL "
							+ "(spring.datasource.url).",
					failure);
		}
		if (state.equals(H2_DATABASE_IN_USE)) {
			return new FailureAnalysis("The database " + url + " is in use by another process, probably another "
					+ "Gatehouse started from the same directory.",
					"Stop the other process, or point SPRING_DATASOURCE_URL (spring.datasource.url) at another "
							+ "database.",
					failure);
		}
		if (state.startsWith("08")) {
			return new FailureAnalysis("Gatehouse could not connect to its database at " + url + ": " + reason,
					"Check that the database server is running and reachable from this machine, and that "
							+ "SPRING_DATASOURCE_URL (spring.datasource.url) names the right host, port and database.",
					failure);
		}
		return null;
	}

	/** The driver's own exception: pools and Flyway wrap it, sometimes more than once. */
	private static @Nullable SQLException deepestSqlException(Throwable failure) {
		SQLException found = null;
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql) {
				found = sql;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return found;
	}

	private static String firstLine(@Nullable String message) {
		if (message == null) {
			return "no reason given.";
		}
		int end = message.indexOf('\n');
		return (end < 0 ? message : message.substring(0, end)).trim();
	}

}
