package io.gatehouse.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.gatehouse.support.GatehouseHttp;
import io.gatehouse.support.GatehouseHttp.Response;
import io.gatehouse.support.GatehouseProcess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as an operator runs it, in a process of its own with JSON logs (ECS) and the security and web layers
 * at DEBUG, the most an operator would turn on while chasing a problem: every line is JSON, a line written while
 * serving a request names that request's id (as answered in {@code X-Request-Id}), and none of the credentials
 * used or created here (passwords right and wrong, client secrets, personal access tokens, access tokens) appears
 * anywhere in the output.
 */
class StructuredLoggingProcessTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path directory;

	@Test
	void logsWhenCredentialsUsedThenJsonLinesWithRequestIdsAndNoCredential() throws Exception {
		List<String> credentials = new ArrayList<>();
		try (GatehouseProcess server = GatehouseProcess.in(directory)
			.env("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs")
			.property("logging.level.org.springframework.security", "DEBUG")
			.property("logging.level.org.springframework.web", "DEBUG")
			.start()) {
			credentials.add(GatehouseProcess.ADMIN_PASSWORD);
			GatehouseHttp http = new GatehouseHttp(server.baseUri()).signIn(GatehouseProcess.ADMIN_USERNAME,
					GatehouseProcess.ADMIN_PASSWORD);
			Response client = http.session("POST", "/api/1.0/auth-clients",
					"{\"name\":\"Logging " + UUID.randomUUID() + "\",\"types\":[\"client_credentials\"]}");
			assertThat(client.status()).as(client.toString()).isEqualTo(201);
			String clientId = client.json().get("id").asString();
			String secret = client.json().get("secret").asString();
			credentials.add(secret);

			Response token = http.oauth("/oauth/token", clientId, secret, Map.of("grant_type", "client_credentials"));
			assertThat(token.status()).as(token.toString()).isEqualTo(200);
			String accessToken = token.json().get("access_token").asString();
			credentials.add(accessToken);
			assertThat(http.bearer(accessToken, "GET", "/api/1.0/auth-clients?per_page=1", null).status())
				.isEqualTo(200);

			String wrongSecret = "wrong-secret-" + UUID.randomUUID();
			credentials.add(wrongSecret);
			assertThat(http.oauth("/oauth/token", clientId, wrongSecret, Map.of("grant_type", "client_credentials"))
				.status()).isEqualTo(401);
			// a secret in the query string is refused; it must not be logged on its way out either
			HttpClient plain = HttpClient.newHttpClient();
			String leakedSecret = "query-secret-" + UUID.randomUUID();
			credentials.add(leakedSecret);
			HttpResponse<String> inQuery = plain.send(HttpRequest.newBuilder(URI.create(server.baseUri()
					+ "/oauth/token?client_id=" + clientId + "&client_secret=" + leakedSecret))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("X-Request-Id", "logging-test-request-1")
				.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(inQuery.statusCode()).isEqualTo(400);
			assertThat(inQuery.headers().firstValue("X-Request-Id")).hasValue("logging-test-request-1");

			String wrongPassword = "wrong-password-" + UUID.randomUUID();
			credentials.add(wrongPassword);
			assertThat(http.oauth("/oauth/token", clientId, secret, Map.of("grant_type", "password", "username",
					GatehouseProcess.ADMIN_USERNAME, "password", wrongPassword)).status()).isEqualTo(400);

			JsonNode users = http.session("GET", "/api/1.0/users?filter=" + GatehouseProcess.ADMIN_USERNAME, null)
				.json();
			long adminId = users.get("data").get(0).get("id").asLong();
			Response pat = http.session("POST", "/api/1.0/users/" + adminId + "/tokens",
					"{\"name\":\"Logging\",\"scopes\":[\"api\"],\"expires_in_days\":1}");
			assertThat(pat.status()).as(pat.toString()).isEqualTo(201);
			String personalToken = pat.json().get("token").asString();
			credentials.add(personalToken);
			assertThat(http.bearer(personalToken, "GET", "/api/1.0/auth-clients?per_page=1", null).status())
				.isEqualTo(200);

			server.stop();
			String log = server.log();
			// the first super admin's notice is printed for the person starting the server, not logged
			List<String> lines = log.lines()
				.filter(line -> !line.isBlank())
				.filter(line -> !line.startsWith("Gatehouse created the first super admin")
						&& !line.startsWith("  Log in at "))
				.toList();
			assertThat(lines).as("log lines").hasSizeGreaterThan(20);
			List<JsonNode> entries = new ArrayList<>();
			for (String line : lines) {
				assertThat(line).as("every line is a JSON object").startsWith("{").endsWith("}");
				entries.add(JSON.readTree(line));
			}
			assertThat(entries).as("DEBUG lines of the request sent with X-Request-Id logging-test-request-1")
				.anyMatch(entry -> "logging-test-request-1".equals(text(entry, "request_id")));
			for (String credential : credentials) {
				assertThat(log).as("the log holds a credential used in this test").doesNotContain(credential);
			}
		}
	}

	private static String text(JsonNode entry, String field) {
		JsonNode value = entry.get(field);
		return value == null ? null : value.asString();
	}

}
