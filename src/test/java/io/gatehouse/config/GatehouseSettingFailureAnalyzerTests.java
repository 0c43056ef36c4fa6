package io.gatehouse.config;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

class GatehouseSettingFailureAnalyzerTests {

	private final GatehouseSettingFailureAnalyzer analyzer = new GatehouseSettingFailureAnalyzer();

	@Test
	void analyzeWhenStartupCheckRefusesSettingThenShowsItsMessageAndNamesVariableAndProperty() {
		FailureAnalysis analysis = analyzer.analyze(new BeanCreationException("adminSettingsValidator",
				"Invocation of init method failed", new IllegalStateException(
						"GATEHOUSE_ADMIN_PASSWORD is not acceptable: The Password must be at least 8 characters.")));

		assertThat(analysis.getDescription())
			.isEqualTo("GATEHOUSE_ADMIN_PASSWORD is not acceptable: The Password must be at least 8 characters.");
		assertThat(analysis.getAction())
			.isEqualTo("Fix GATEHOUSE_ADMIN_PASSWORD (property gatehouse.admin.password) and start Gatehouse again.");
	}

	@Test
	void analyzeWhenIllegalStateNamesNoSettingThenLeavesItToSpringBoot() {
		assertThat(analyzer.analyze(new IllegalStateException("Something else went wrong"))).isNull();
		assertThat(analyzer.analyze(new IllegalArgumentException("GATEHOUSE_ADMIN_PASSWORD"))).isNull();
	}

}
