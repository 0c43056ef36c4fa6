package io.gatehouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.gatehouse.support.GatehouseHttp;
import io.gatehouse.support.GatehouseProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/gatehouse}, the README's way to run Gatehouse in production, as an operator runs it: on the jar that
 * {@code mvn package} made (so this runs under failsafe, after {@code package}) and the JDK running the tests. Its
 * first start makes the class-data archive in a training run (an AppCDS archive on JDK 17-24, an AOT cache on 25+);
 * a server that started without it would still answer, so the test looks for the archive in the JVM's memory map.
 */
class LauncherTests {

	private static final Path LAUNCHER = Path.of("bin", "gatehouse").toAbsolutePath();

	private static final Path JAR = Path.of("target", "gatehouse.jar").toAbsolutePath();

	@TempDir
	Path directory;

	@Test
	void theFirstStartMakesAnArchiveThatTheServerThenRunsWithAndIssuesTokens() throws Exception {
		Path cache = directory.resolve("cache");
		Path work = Files.createDirectories(directory.resolve("work"));
		GatehouseProcess launched = GatehouseProcess.throughLauncher(work, LAUNCHER, JAR, cache)
			.prepare(Duration.ofSeconds(300));

		Path archive = theOnlyArchiveIn(cache);
		assertThat(Files.size(archive)).as("archive size").isGreaterThan(1_000_000);

		try (GatehouseProcess server = launched.start()) {
			assertThat(Files.readString(Path.of("/proc", String.valueOf(server.pid()), "maps")))
				.as("the JVM maps the archive").contains(archive.toString());
			assertThat(server.log()).doesNotContain("starting without").doesNotContain("training run");

			GatehouseHttp http = new GatehouseHttp(server.baseUri())
				.signIn(GatehouseProcess.ADMIN_USERNAME, GatehouseProcess.ADMIN_PASSWORD);
			GatehouseHttp.Response created = http.session("POST", "/api/1.0/auth-clients",
					"{\"name\":\"Launched\",\"types\":[\"client_credentials\"]}");
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
			JsonNode client = created.json();
			GatehouseHttp.Response token = http.oauth("/oauth/token", client.get("id").asString(),
					client.get("secret").asString(), Map.of("grant_type", "client_credentials"));
			assertThat(token.status()).as(token.toString()).isEqualTo(200);
			assertThat(token.json().get("access_token").asString()).isNotBlank();
		}
	}

	/** The cache holds one directory per jar, JDK and flags; the archive in it, and no failed training's log. */
	private static Path theOnlyArchiveIn(Path cache) throws IOException {
		List<Path> copies;
		try (Stream<Path> entries = Files.list(cache)) {
			copies = entries.filter(Files::isDirectory).filter(path -> !path.getFileName().toString().startsWith("."))
				.toList();
		}
		assertThat(copies).as("copies of the jar in " + cache).hasSize(1);
		Path copy = copies.get(0);
		assertThat(copy.resolve("gatehouse.aot.failed")).doesNotExist();
		assertThat(copy.resolve("gatehouse.jsa.failed")).doesNotExist();
		Path archive = copy.resolve(Runtime.version().feature() >= 25 ? "gatehouse.aot" : "gatehouse.jsa");
		assertThat(archive).exists();
		return archive;
	}

}
