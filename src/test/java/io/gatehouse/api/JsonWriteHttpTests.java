package io.gatehouse.api;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.gatehouse.accounts.TestGroups;
import io.gatehouse.accounts.TestUsers;
import io.gatehouse.accounts.User;
import io.gatehouse.support.GatehouseHttpTest;
import io.gatehouse.support.ScriptClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every JSON write of the REST API, over a real socket with a real session and CSRF token, fed what a fuzzer or a
 * careless script sends: bodies under the wrong content type, and JSON whose values have the wrong type. Each must be
 * refused with a 4xx problem that says what is wrong, and nothing may be written.
 */
@GatehouseHttpTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonWriteHttpTests {

	/** What a table's rows add up to; any write changes at least one of these (every write is also audited). */
	private static final List<String> FINGERPRINT = List.of("select count(*) from account",
			"select coalesce(sum(version), 0) from account", "select count(*) from account_permission",
			"select count(*) from user_group", "select coalesce(sum(version), 0) from user_group",
			"select count(*) from group_member", "select count(*) from group_permission",
			"select count(*) from auth_client", "select coalesce(sum(version), 0) from auth_client",
			"select count(*) from personal_access_token", "select count(*) from audit_record");

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	private ScriptClient admin;

	private final Map<String, String> ids = new LinkedHashMap<>();

	@BeforeAll
	void signInAndMakeTheRecordsToWriteTo() {
		User me = TestUsers.user().superAdmin().create(jdbc);
		admin = ScriptClient.to(port).signIn(me.username(), TestUsers.PASSWORD);
		HttpResponse<String> client = admin.json("POST", "/api/1.0/auth-clients",
				"{\"name\": \"Http client " + UUID.randomUUID() + "\", \"types\": [\"password_client\"]}");
		assertThat(client.statusCode()).isEqualTo(201);
		ids.put("{me}", String.valueOf(me.id()));
		ids.put("{user}", String.valueOf(TestUsers.user().create(jdbc).id()));
		ids.put("{group}", String.valueOf(TestGroups.group().name("Http group " + UUID.randomUUID()).create(jdbc).id()));
		ids.put("{client}", json.readTree(client.body()).get("id").asString());
	}

	/** Every JSON write endpoint, with a body it accepts; {unique} becomes a fresh name on each use. */
	static Stream<Endpoint> endpoints() {
		return Stream.of(new Endpoint("POST", "/api/1.0/auth-clients",
				"{\"name\": \"{unique}\", \"types\": [\"password_client\"]}"),
				new Endpoint("PUT", "/api/1.0/auth-clients/{client}",
						"{\"name\": \"{unique}\", \"types\": [\"password_client\"]}"),
				new Endpoint("POST", "/api/1.0/users", "{\"username\": \"{unique}\", \"password\": \"secret-password\"}"),
				new Endpoint("PUT", "/api/1.0/users/{user}", "{\"firstname\": \"{unique}\"}"),
				new Endpoint("PUT", "/api/1.0/users/{user}/permissions", "{\"permissions\": [\"view-users\"]}"),
				new Endpoint("POST", "/api/1.0/groups", "{\"name\": \"{unique}\"}"),
				new Endpoint("PUT", "/api/1.0/groups/{group}", "{\"name\": \"{unique}\"}"),
				new Endpoint("PUT", "/api/1.0/groups/{group}/members", "{\"users\": [{user}]}"),
				new Endpoint("PUT", "/api/1.0/groups/{group}/permissions", "{\"permissions\": [\"view-groups\"]}"),
				new Endpoint("POST", "/api/1.0/users/{me}/tokens", "{\"name\": \"{unique}\", \"scopes\": [\"api\"]}"));
	}

	static Stream<Arguments> wrongContentTypes() {
		List<Arguments> all = new ArrayList<>();
		endpoints().forEach(endpoint -> {
			for (String type : new String[] { "*/*", "application/*", "*/json", "text/plain",
					"application/x-www-form-urlencoded", "none" }) {
				all.add(Arguments.of(endpoint, type));
			}
		});
		return all.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("endpoints")
	void writeWhenJsonThen2xx(Endpoint endpoint) {
		HttpResponse<String> response = admin.json(endpoint.method(), path(endpoint), body(endpoint.body()));

		assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
	}

	@ParameterizedTest(name = "{0} as {1}")
	@MethodSource("wrongContentTypes")
	void writeWhenBodyIsNotSentAsJsonThen415ProblemAndNothingWritten(Endpoint endpoint, String contentType) {
		List<Long> before = fingerprint();

		HttpResponse<String> response = admin.send(endpoint.method(), path(endpoint),
				contentType.equals("none") ? null : contentType, body(endpoint.body()), "X-XSRF-TOKEN",
				String.valueOf(admin.cookie("XSRF-TOKEN")));

		assertThat(response.statusCode()).as(response.body()).isEqualTo(415);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = json.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(415);
		assertThat(problem.get("detail").asString()).isEqualTo("The request body must be JSON, sent as application/json.");
		assertThat(fingerprint()).isEqualTo(before);
	}

	private String path(Endpoint endpoint) {
		String path = endpoint.path();
		for (Map.Entry<String, String> id : ids.entrySet()) {
			path = path.replace(id.getKey(), id.getValue());
		}
		return path;
	}

	private String body(String template) {
		String body = template.replace("{unique}", "http-" + UUID.randomUUID());
		for (Map.Entry<String, String> id : ids.entrySet()) {
			body = body.replace(id.getKey(), id.getValue());
		}
		return body;
	}

	private List<Long> fingerprint() {
		return FINGERPRINT.stream().map(sql -> jdbc.sql(sql).query(Long.class).single()).toList();
	}

	record Endpoint(String method, String path, String body) {

		@Override
		public String toString() {
			return method + " " + path;
		}

	}

}
