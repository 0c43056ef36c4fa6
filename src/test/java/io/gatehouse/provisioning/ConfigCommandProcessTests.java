package io.gatehouse.provisioning;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code config export} and {@code config apply} as an operator runs them: the application's main class in a child
 * JVM, on the default H2 file database of its working directory.
 */
class ConfigCommandProcessTests {

	@TempDir
	Path directory;

	@Test
	void applyThenExportWhenRunFromTheCommandLineThenTheDocumentRoundTrips() throws Exception {
		Path document = Files.writeString(directory.resolve("gatehouse.yaml"), ConfigApiTests.DOCUMENT);

		Run dryRun = run("config", "apply", "gatehouse.yaml", "--dry-run");
		assertThat(dryRun.exit).as(dryRun.err).isZero();
		assertThat(dryRun.out).contains("\"dry_run\" : true").doesNotContain("gtcs_");
		assertThat(dryRun.err).contains("Dry run, nothing written: would have 5 created");

		Run applied = run("config", "apply", document.toString());
		assertThat(applied.exit).as(applied.err).isZero();
		assertThat(applied.out).contains("\"created\" : 5", "\"secret\" : \"gtcs_");
		assertThat(applied.err).contains("clients: 3/3", "Applied: 5 created, 0 updated, 0 deleted");

		// the server's ports are taken: a command that opened one would fail to start
		Run exported;
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				ServerSocket management = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			exported = run(Map.of("SERVER_PORT", String.valueOf(server.getLocalPort()), "SERVER_ADDRESS", "127.0.0.1",
					"MANAGEMENT_SERVER_PORT", String.valueOf(management.getLocalPort())), "config", "export");
		}
		assertThat(exported.exit).as(exported.err).isZero();
		assertThat(exported.out).startsWith("version: 1\n")
			.contains("client_id: \"billing\"", "client_id: \"personal-access-client\"", "- \"Readers\"")
			.doesNotContain("gtcs_", "secret_hash");
	}

	@Test
	void applyWhenDocumentRefusedOrArgumentsWrongThenExitCodesOneAndTwo() throws Exception {
		Files.writeString(directory.resolve("bad.yaml"), "version: 1\nclients:\n- client_id: a\n  colour: red\n");

		Run refused = run("config", "apply", "bad.yaml");
		assertThat(refused.exit).isEqualTo(1);
		assertThat(refused.err).contains("Refused, nothing was written: The clients.0.colour field is unknown.");

		Run usage = run("config", "apply");
		assertThat(usage.exit).isEqualTo(2);
		assertThat(usage.err).contains("Usage: java -jar gatehouse.jar config export");

		Run missing = run("config", "apply", "nowhere.yaml");
		assertThat(missing.exit).isEqualTo(2);
		assertThat(missing.err).contains("Cannot read nowhere.yaml");
		assertThat(directory.resolve("data")).doesNotExist();
	}

	private Run run(String... args) throws IOException, InterruptedException {
		return run(Map.of(), args);
	}

	private Run run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), "io.gatehouse.GatehouseApplication"));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
		builder.environment().keySet().removeIf(name -> name.startsWith("SPRING_") || name.startsWith("SERVER_")
				|| name.startsWith("GATEHOUSE_") || name.startsWith("MANAGEMENT_"));
		builder.environment().put("GATEHOUSE_ADMIN_USERNAME", "cli-admin");
		builder.environment().put("GATEHOUSE_ADMIN_PASSWORD", "cli-admin-password");
		builder.environment().putAll(environment);
		Path out = Files.createTempFile(directory, "out", ".txt");
		Path err = Files.createTempFile(directory, "err", ".txt");
		Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
		if (!process.waitFor(180, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("config " + String.join(" ", args) + " did not end within 180 s");
		}
		return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
				Files.readString(err, StandardCharsets.UTF_8));
	}

	private record Run(int exit, String out, String err) {
	}

}
