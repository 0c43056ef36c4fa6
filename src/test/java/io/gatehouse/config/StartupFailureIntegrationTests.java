package io.gatehouse.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import io.gatehouse.GatehouseApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** Starts the real application with a bad setting and reads what an operator would see on the console. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureIntegrationTests {

	@Test
	void startWhenDatabaseUnreachableThenShortAnalysisNamesUrlSetting(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/x",
				"--server.port=0"));

		assertThat(output).contains("APPLICATION FAILED TO START",
				"Gatehouse could not connect to its database at jdbc:postgresql://127.0.0.1:1/x: Connection to "
						+ "127.0.0.1:1 refused.",
				"SPRING_DATASOURCE_URL (spring.datasource.url)");
		assertThat(output).doesNotContain("Caused by:", "\tat ");
	}

	@Test
	void startWhenAdminPasswordTooShortThenShortAnalysisNamesAdminPasswordSetting(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--spring.datasource.url=jdbc:h2:mem:startup-password",
				"--server.port=0", "--gatehouse.admin.password=short"));

		assertThat(output).contains("APPLICATION FAILED TO START",
				"GATEHOUSE_ADMIN_PASSWORD is not acceptable: The Password must be at least 8 characters.",
				"Fix GATEHOUSE_ADMIN_PASSWORD");
		assertThat(output).doesNotContain("Caused by:", "\tat ");
	}

	@Test
	void startWhenPortTakenThenShortAnalysisNamesPortAndServerPortSetting(CapturedOutput output) throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
			assertThatException().isThrownBy(() -> start("--spring.datasource.url=jdbc:h2:mem:startup-port",
					"--server.port=" + taken.getLocalPort()));

			assertThat(output).contains("APPLICATION FAILED TO START",
					"Port " + taken.getLocalPort() + " is already in use by another process.", "set SERVER_PORT");
		}
		assertThat(output).doesNotContain("Caused by:", "\tat ");
	}

	private static void start(String... args) {
		SpringApplication application = new SpringApplication(GatehouseApplication.class);
		application.run(args);
	}

}
