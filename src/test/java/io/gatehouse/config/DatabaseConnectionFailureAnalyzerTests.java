package io.gatehouse.config;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseConnectionFailureAnalyzerTests {

	private final MockEnvironment environment = new MockEnvironment()
		.withProperty("spring.datasource.url", "jdbc:postgresql://db.example:5432/gatehouse?user=gh&password=s3cret");

	private final DatabaseConnectionFailureAnalyzer analyzer = new DatabaseConnectionFailureAnalyzer(environment);

	@Test
	void analyzeWhenConnectionRefusedThenNamesDatabaseAndUrlSettingWithoutPassword() {
		FailureAnalysis analysis = analyzer.analyze(wrapped(new SQLException("Connection to db.example:5432 refused.",
				"08001")));

		assertThat(analysis.getDescription())
			.isEqualTo("Gatehouse could not connect to its database at jdbc:postgresql://db.example:5432/gatehouse: "
					+ "Connection to db.example:5432 refused.");
		assertThat(analysis.getAction()).contains("SPRING_DATASOURCE_URL");
		assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("s3cret");
	}

	@Test
	void analyzeWhenPasswordRejectedThenNamesUsernameAndPasswordSettings() {
		FailureAnalysis analysis = analyzer
			.analyze(wrapped(new SQLException("FATAL: password authentication failed for user \"gh\"", "28P01")));

		assertThat(analysis.getDescription()).contains("refused the user name or password");
		assertThat(analysis.getAction()).contains("SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD");
	}

	@Test
	void analyzeWhenDatabaseMissingThenSaysCreateItOrFixUrl() {
		FailureAnalysis analysis = analyzer
			.analyze(wrapped(new SQLException("FATAL: database \"gatehouse\" does not exist", "3D000")));

		assertThat(analysis.getDescription()).contains("does not exist");
		assertThat(analysis.getAction()).contains("Create the database", "SPRING_DATASOURCE_URL");
	}

	@Test
	void analyzeWhenH2FileLockedThenSaysAnotherProcessHoldsIt() {
		environment.setProperty("spring.datasource.url", "jdbc:h2:file:./data/gatehouse;MODE=PostgreSQL");

		FailureAnalysis analysis = analyzer
			.analyze(wrapped(new SQLException("Database may be already in use: \"./data/gatehouse.mv.db\"", "90020")));

		assertThat(analysis.getDescription())
			.startsWith("The database jdbc:h2:file:./data/gatehouse is in use by another process");
	}

	@Test
	void analyzeWhenMigrationSqlIsWrongThenLeavesItToSpringBoot() {
		assertThat(analyzer.analyze(wrapped(new SQLException("syntax error at or near \"tabel\"", "42601")))).isNull();
		assertThat(analyzer.analyze(new IllegalStateException("not a database problem"))).isNull();
	}

	/** As at start-up: the driver's exception under a pool's and a bean factory's. */
	private static Exception wrapped(SQLException driverException) {
		SQLException pool = new SQLException("HikariPool-1 - Connection is not available", "08000", driverException);
		return new BeanCreationException("flywayInitializer", "Unable to obtain connection from database",
				new RuntimeException(pool));
	}

}
