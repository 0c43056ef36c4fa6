package io.gatehouse.config;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.context.ApplicationContextException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ServerPortFailureAnalyzerTests {

	private final ServerPortFailureAnalyzer analyzer = new ServerPortFailureAnalyzer();

	@Test
	void analyzeWhenPortInUseThenNamesPortAndServerPortSetting() {
		FailureAnalysis analysis = analyzer
			.analyze(new ApplicationContextException("Failed to start bean 'webServerStartStop'",
					new PortInUseException(8080)));

		assertThat(analysis.getDescription()).isEqualTo("Port 8080 is already in use by another process.");
		assertThat(analysis.getAction()).startsWith("Stop the process listening on port 8080, or set SERVER_PORT");
	}

	@Test
	void analyzeWhenPortNotANumberThenQuotesValueAndNamesServerPortSetting() {
		BindException failure = catchThrowableOfType(BindException.class,
				() -> new Binder(new MapConfigurationPropertySource(Map.of("server.port", "abc")))
					.bind("server.port", Integer.class));

		FailureAnalysis analysis = analyzer.analyze(failure);

		assertThat(analysis.getDescription())
			.isEqualTo("SERVER_PORT (server.port) must be a port number, but it is \"abc\".");
		assertThat(analysis.getAction()).startsWith("Set SERVER_PORT (server.port) to a free port number");
	}

	@Test
	void analyzeWhenPortOutOfRangeThenNamesValue() {
		FailureAnalysis analysis = analyzer.analyze(new ApplicationContextException("Failed to start",
				new IllegalArgumentException("port out of range:70000")));

		assertThat(analysis.getDescription()).contains("SERVER_PORT", "70000", "from 0 to 65535");
	}

	@Test
	void analyzeWhenOtherPropertyFailsToBindThenLeavesItToSpringBoot() {
		BindException failure = catchThrowableOfType(BindException.class,
				() -> new Binder(new MapConfigurationPropertySource(Map.of("server.tomcat.threads.max", "many")))
					.bind("server.tomcat.threads.max", Integer.class));

		assertThat(analyzer.analyze(failure)).isNull();
	}

}
