package io.gatehouse.api;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.gatehouse.accounts.TestGroups;
import io.gatehouse.accounts.User;
import io.gatehouse.support.GatehouseHttpTest;
import io.gatehouse.support.ScriptClient;
import io.gatehouse.support.TestAccounts;
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
		User me = TestAccounts.user().superAdmin().create(jdbc);
		admin = ScriptClient.to(port).signIn(me.username(), TestAccounts.PASSWORD);
		HttpResponse<String> client = admin.json("POST", "/api/1.0/auth-clients",
				"{\"name\": \"Http client " + UUID.randomUUID() + "\", \"types\": [\"password_client\"]}");
		assertThat(client.statusCode()).isEqualTo(201);
		ids.put("{me}", String.valueOf(me.id()));
		ids.put("{user}", String.valueOf(TestAccounts.user().create(jdbc).id()));
		ids.put("{group}", String.valueOf(TestGroups.group().name("Http group "
				+ UUID.randomUUID()).create(jdbc).id()));
		ids.put("{client}", json.readTree(client.body()).get("id").asString());
	}

	/** Every JSON write endpoint, with a body it accepts; {unique} becomes a fresh name on each use. */
	static Stream<Endpoint> endpoints() {
		return Stream.of(new Endpoint("POST", "/api/1.0/auth-clients",
				"{\"name\": \"{unique}\", \"types\": [\"password_client\"]}"),
				new Endpoint("PUT", "/api/1.0/auth-clients/{client}",
						"{\"name\": \"{unique}\", \"types\": [\"password_client\"]}"),
				new Endpoint("POST", "/api/1.0/users",
						"{\"username\": \"{unique}\", \"password\": \"secret-password\"}"),
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
		assertThat(problem.get("detail").asString())
			.isEqualTo("The request body must be JSON, sent as application/json.");
		assertThat(fingerprint()).isEqualTo(before);
	}

	/** A JSON value of the wrong type, per field: no scalar is coerced into another (123 is no boolean nor string). */
	static Stream<Arguments> wrongTypes() {
		return Stream.of(
				wrong("POST", "/api/1.0/auth-clients", "{\"name\": 123, \"types\": [\"password_client\"]}", "name",
						"a string"),
				wrong("POST", "/api/1.0/auth-clients", "{\"name\": \"{unique}\", \"types\": \"password_client\"}",
						"types", "an array"),
				wrong("POST", "/api/1.0/auth-clients", "{\"name\": \"{unique}\", \"types\": [7]}", "types.0",
						"a string"),
				wrong("POST", "/api/1.0/auth-clients",
						"{\"name\": \"{unique}\", \"types\": [\"authorization_code_grant\"], \"redirect_uris\": "
								+ "\"https://a.example/cb\"}", "redirect_uris", "an array"),
				wrong("POST", "/api/1.0/auth-clients",
						"{\"name\": \"{unique}\", \"types\": [\"authorization_code_grant\"], \"redirect\": "
								+ "[\"https://a.example/cb\"]}", "redirect", "a string"),
				wrong("POST", "/api/1.0/auth-clients",
						"{\"name\": \"{unique}\", \"types\": [\"authorization_code_grant\"], \"redirect\": "
								+ "\"https://a.example/cb\", \"public\": 1}", "public", "a boolean"),
				wrong("POST", "/api/1.0/auth-clients",
						"{\"name\": \"{unique}\", \"types\": [\"authorization_code_grant\"], \"redirect\": "
								+ "\"https://a.example/cb\", \"public\": \"true\"}", "public", "a boolean"),
				wrong("PUT", "/api/1.0/auth-clients/{client}", "{\"name\": true, \"types\": [\"password_client\"]}",
						"name", "a string"),
				wrong("POST", "/api/1.0/users", "{\"username\": 123, \"password\": \"secret-password\"}", "username",
						"a string"),
				wrong("POST", "/api/1.0/users",
						"{\"username\": \"{unique}\", \"password\": \"secret-password\", \"super_admin\": 123}",
								"super_admin", "a boolean"),
				wrong("POST", "/api/1.0/users",
						"{\"username\": \"{unique}\", \"password\": \"secret-password\", \"super_admin\": \"true\"}",
								"super_admin", "a boolean"),
				wrong("POST", "/api/1.0/users",
						"{\"username\": \"{unique}\", \"password\": \"secret-password\", \"active\": 0}", "active",
								"a boolean"),
				wrong("POST", "/api/1.0/users", "{\"username\": \"{unique}\", \"password\": 12345678}", "password",
						"a string"),
				wrong("POST", "/api/1.0/users",
						"{\"username\": \"{unique}\", \"password\": \"secret-password\", \"permissions\": "
								+ "\"view-users\"}", "permissions", "an array"),
				wrong("PUT", "/api/1.0/users/{user}", "{\"super_admin\": 1}", "super_admin", "a boolean"),
				wrong("PUT", "/api/1.0/users/{user}", "{\"firstname\": [\"Ada\"]}", "firstname", "a string"),
				wrong("PUT", "/api/1.0/users/{user}", "{\"email\": {\"address\": \"a@example.com\"}}", "email",
						"a string"),
				wrong("PUT", "/api/1.0/users/{user}", "{\"lastname\": 1.5}", "lastname", "a string"),
				wrong("PUT", "/api/1.0/users/{user}/permissions", "{\"permissions\": [1]}", "permissions.0",
						"a string"),
				wrong("POST", "/api/1.0/groups", "{\"name\": 42}", "name", "a string"),
				wrong("POST", "/api/1.0/groups", "{\"name\": \"{unique}\", \"description\": false}", "description",
						"a string"),
				wrong("PUT", "/api/1.0/groups/{group}", "{\"permissions\": \"view-users\"}", "permissions", "an array"),
				wrong("PUT", "/api/1.0/groups/{group}/members", "{\"users\": [\"{user}\"]}", "users.0", "an integer"),
				wrong("PUT", "/api/1.0/groups/{group}/members", "{\"users\": [1.5]}", "users.0", "an integer"),
				wrong("PUT", "/api/1.0/groups/{group}/members", "{\"users\": [true]}", "users.0", "an integer"),
				wrong("PUT", "/api/1.0/groups/{group}/members", "{\"users\": {user}}", "users", "an array"),
				wrong("PUT", "/api/1.0/groups/{group}/permissions", "{\"permissions\": [true]}", "permissions.0",
						"a string"),
				wrong("POST", "/api/1.0/users/{me}/tokens", "{\"name\": 1, \"scopes\": [\"api\"]}", "name", "a string"),
				wrong("POST", "/api/1.0/users/{me}/tokens",
						"{\"name\": \"{unique}\", \"scopes\": [\"api\"], \"expires_in_days\": \"30\"}",
								"expires_in_days", "an integer"),
				wrong("POST", "/api/1.0/users/{me}/tokens",
						"{\"name\": \"{unique}\", \"scopes\": [\"api\"], \"expires_in_days\": 30.5}",
								"expires_in_days", "an integer"),
				wrong("POST", "/api/1.0/users/{me}/tokens",
						"{\"name\": \"{unique}\", \"scopes\": [\"api\"], \"expires_in_days\": true}",
								"expires_in_days", "an integer"),
				wrong("POST", "/api/1.0/users/{me}/tokens", "{\"name\": \"{unique}\", \"scopes\": \"api\"}", "scopes",
						"an array"),
				wrong("POST", "/api/1.0/users/{me}/tokens",
						"{\"name\": \"{unique}\", \"scopes\": [\"api\"], \"client_id\": 5}", "client_id", "a string"));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("wrongTypes")
	void writeWhenValueHasWrongTypeThen400NamingTheFieldAndNothingWritten(String method, String path, String body,
			String field, String message) {
		assertRefused(method, path, body, 400, field, message);
	}

	/** The same field twice: which one counts is nobody's guess, so neither does. */
	static Stream<Arguments> duplicateFields() {
		return Stream.of(
				duplicate("POST", "/api/1.0/auth-clients",
						"{\"name\": \"{unique}\", \"types\": [\"password_client\"], \"types\": "
								+ "[\"personal_access_client\"]}", "types"),
				duplicate("PUT", "/api/1.0/auth-clients/{client}",
						"{\"name\": \"{unique}\", \"name\": \"{unique}\", \"types\": [\"password_client\"]}", "name"),
				duplicate("POST", "/api/1.0/users",
						"{\"username\": \"{unique}\", \"username\": \"{unique}\", \"password\": \"secret-password\"}",
								"username"),
				duplicate("PUT", "/api/1.0/users/{user}", "{\"super_admin\": false, \"super_admin\": true}",
						"super_admin"),
				duplicate("PUT", "/api/1.0/users/{user}/permissions",
						"{\"permissions\": [], \"permissions\": [\"view-users\"]}", "permissions"),
				duplicate("POST", "/api/1.0/groups", "{\"name\": \"{unique}\", \"name\": \"{unique}\"}", "name"),
				duplicate("PUT", "/api/1.0/groups/{group}", "{\"description\": \"a\", \"description\": \"b\"}",
						"description"),
				duplicate("PUT", "/api/1.0/groups/{group}/members", "{\"users\": [], \"users\": [{user}]}", "users"),
				duplicate("PUT", "/api/1.0/groups/{group}/permissions", "{\"permissions\": [], \"permissions\": []}",
						"permissions"),
				duplicate("POST", "/api/1.0/users/{me}/tokens",
						"{\"name\": \"{unique}\", \"scopes\": [\"api\"], \"name\": \"{unique}\"}", "name"));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("duplicateFields")
	void writeWhenFieldAppearsTwiceThen400NamingTheFieldAndNothingWritten(String method, String path, String body,
			String field) {
		assertRefused(method, path, body, 400, field, "The " + field + " field appears more than once.");
	}

	/** A field the endpoint does not know is refused, not ignored: a typo must not pass for "no change". */
	static Stream<Arguments> unknownFields() {
		return Stream.of(
				unknown("POST", "/api/1.0/auth-clients",
						"{\"name\": \"{unique}\", \"types\": [\"password_client\"], \"grant_types\": [\"password\"]}",
								"grant_types"),
				unknown("PUT", "/api/1.0/auth-clients/{client}",
						"{\"name\": \"{unique}\", \"types\": [\"password_client\"], \"redirect_url\": "
								+ "\"https://a.example/cb\"}", "redirect_url"),
				unknown("POST", "/api/1.0/users",
						"{\"username\": \"{unique}\", \"password\": \"secret-password\", \"superadmin\": true}",
								"superadmin"),
				unknown("PUT", "/api/1.0/users/{user}", "{\"first_name\": \"Ada\"}", "first_name"),
				unknown("PUT", "/api/1.0/users/{user}/permissions", "{\"permission\": [\"view-users\"]}", "permission"),
				unknown("POST", "/api/1.0/groups", "{\"name\": \"{unique}\", \"member\": [1]}", "member"),
				unknown("PUT", "/api/1.0/groups/{group}", "{\"title\": \"x\"}", "title"),
				unknown("PUT", "/api/1.0/groups/{group}/members", "{\"users\": [], \"user\": [{user}]}", "user"),
				unknown("PUT", "/api/1.0/groups/{group}/permissions", "{\"permissions\": [], \"grant\": true}",
						"grant"),
				unknown("POST", "/api/1.0/users/{me}/tokens", "{\"name\": \"{unique}\", \"scope\": \"api\"}", "scope"));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("unknownFields")
	void writeWhenFieldUnknownThen400NamingTheFieldAndNothingWritten(String method, String path, String body,
			String field) {
		assertRefused(method, path, body, 400, field, "The " + field + " field is unknown.");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("endpoints")
	void writeWhenBodyIsNoJsonObjectThen400AndNothingWritten(Endpoint endpoint) {
		for (String body : List.of("[1]", "\"text\"", "42", "null", "true", "")) {
			List<Long> before = fingerprint();

			HttpResponse<String> response = admin.json(endpoint.method(), path(endpoint), body);

			assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(400);
			assertThat(json.readTree(response.body()).get("detail").asString())
				.isEqualTo("The request body must be a JSON object.");
			assertThat(fingerprint()).isEqualTo(before);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("endpoints")
	void writeWhenBodyIsNotJsonThen400AndNothingWritten(Endpoint endpoint) {
		for (String body : List.of("{", "{\"a\": }", "name=x", "{} trailing", "{} {}", "{,}", "{'a': 1}")) {
			List<Long> before = fingerprint();

			HttpResponse<String> response = admin.json(endpoint.method(), path(endpoint), body);

			assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(400);
			assertThat(json.readTree(response.body()).get("detail").asString())
				.isEqualTo("The request body is not valid JSON.");
			assertThat(fingerprint()).isEqualTo(before);
		}
	}

	/** null for a field that cannot be null is a validation failure (422), named like any other. */
	static Stream<Arguments> nullsWhereAValueIsNeeded() {
		return Stream.of(
				refused("POST", "/api/1.0/auth-clients", "{\"name\": null, \"types\": [\"password_client\"]}", "name",
						"The Name field is required."),
				refused("POST", "/api/1.0/auth-clients", "{\"name\": \"{unique}\", \"types\": [null]}", "types",
						"The selected types is invalid."),
				refused("PUT", "/api/1.0/auth-clients/{client}", "{\"name\": \"{unique}\", \"types\": null}", "types",
						"The Auth-Client must have at least 1 item chosen."),
				refused("POST", "/api/1.0/users", "{\"username\": null, \"password\": \"secret-password\"}",
						"username", "The Username field is required."),
				refused("POST", "/api/1.0/users", "{\"username\": \"{unique}\", \"password\": null}", "password",
						"The Password field is required."),
				refused("PUT", "/api/1.0/users/{user}/permissions", "{\"permissions\": null}", "permissions",
						"The permissions field is required."),
				refused("PUT", "/api/1.0/users/{user}/permissions", "{\"permissions\": [null]}", "permissions",
						"The selected permission null is invalid."),
				refused("POST", "/api/1.0/groups", "{\"name\": null}", "name", "The Name field is required."),
				refused("PUT", "/api/1.0/groups/{group}/members", "{\"users\": null}", "users",
						"The users field is required."),
				refused("PUT", "/api/1.0/groups/{group}/members", "{\"users\": [null]}", "users",
						"The selected user null is invalid."),
				refused("PUT", "/api/1.0/groups/{group}/permissions", "{\"permissions\": null}", "permissions",
						"The permissions field is required."),
				refused("PUT", "/api/1.0/groups/{group}/permissions", "{\"permissions\": [null]}", "permissions",
						"The selected permission null is invalid."),
				refused("POST", "/api/1.0/users/{me}/tokens", "{\"name\": null}", "name",
						"The Name field is required."),
				refused("POST", "/api/1.0/users/{me}/tokens", "{\"name\": \"{unique}\", \"scopes\": [null]}", "scopes",
						"The selected scope null is invalid."));
	}

	@ParameterizedTest(name = "{0} {1} {3}")
	@MethodSource("nullsWhereAValueIsNeeded")
	void writeWhenNullWhereAValueIsNeededThen422NamingTheFieldAndNothingWritten(String method, String path,
			String body, String field, String message) {
		assertRefused(method, path, body, 422, field, message);
	}

	private void assertRefused(String method, String path, String body, int status, String field, String message) {
		List<Long> before = fingerprint();

		HttpResponse<String> response = admin.json(method, path(new Endpoint(method, path, body)), body(body));

		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = json.readTree(response.body());
		if (status == 400) {
			assertThat(problem.get("detail").asString()).isEqualTo(message);
		}
		assertThat(problem.get("errors").get(field)).as(response.body()).isNotNull();
		assertThat(problem.get("errors").get(field).get(0).asString()).isEqualTo(message);
		assertThat(fingerprint()).isEqualTo(before);
	}

	private static Arguments wrong(String method, String path, String body, String field, String type) {
		return Arguments.of(method, path, body, field, "The " + field + " field must be " + type + ".");
	}

	private static Arguments duplicate(String method, String path, String body, String field) {
		return Arguments.of(method, path, body, field);
	}

	private static Arguments unknown(String method, String path, String body, String field) {
		return Arguments.of(method, path, body, field);
	}

	private static Arguments refused(String method, String path, String body, String field, String message) {
		return Arguments.of(method, path, body, field, message);
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
