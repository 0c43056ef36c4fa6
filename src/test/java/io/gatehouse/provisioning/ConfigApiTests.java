package io.gatehouse.provisioning;

import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.gatehouse.accounts.User;
import io.gatehouse.secrets.Secrets;
import io.gatehouse.signin.Permissions;
import io.gatehouse.support.StatementLog;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code /api/1.0/config} on a database of its own (subclasses pick H2 or PostgreSQL), since pruning deletes what
 * other tests would create.
 */
@SpringBootTest
@AutoConfigureMockMvc
@Import(StatementLog.Configuration.class)
abstract class ConfigApiTests {

	private static final String YAML = "application/yaml";

	/** Two groups, a confidential client with a service account in one of them, a public one, a resource server. */
	static final String DOCUMENT = """
			version: 1
			clients:
			- client_id: billing
			  name: Billing
			  types: [authorization_code_grant, client_credentials]
			  redirect_uris: ["https://billing.example/cb", "https://billing.example/cb2"]
			  post_logout_redirect_uris: ["https://billing.example/bye"]
			  revoke_tokens_on_logout: true
			  service_account:
			    permissions: [view-users]
			    groups: [Readers]
			- client_id: spa
			  name: Single Page
			  types: [authorization_code_grant]
			  redirect_uris: ["https://spa.example/cb"]
			  public: true
			- client_id: orders-api
			  name: "2024"
			  types: [client_credentials]
			  introspect_others: true
			  secret_hash: %s
			groups:
			- name: Readers
			  description: Reads clients
			  permissions: [view-auth_clients]
			- name: Auditors
			  permissions: [view-audit]
			""".formatted(Secrets.sha256("gtcs_the-orders-secret"));

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	User admin;

	@Autowired
	StatementLog statements;

	@BeforeEach
	void signIn() {
		admin = TestAccounts.user().superAdmin().create(jdbc);
		emptyConfiguration();
	}

	@Test
	void exportWhenAppliedToEmptyDatabaseThenExportedAgainIdentically() throws Exception {
		assertThat(apply(DOCUMENT, YAML, "").get("result").asString()).isEqualTo("changed");
		mvc.perform(post("/api/1.0/auth-clients").with(csrf()).with(TestAccounts.as(admin))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"Made in the console\",\"types\":[\"password_client\"]}"));
		// every setting a client has travels in the document, keys and policy included
		String key = new ECKeyGenerator(Curve.P_256).keyID("tuned-1").generate().toPublicJWK().toJSONString();
		mvc.perform(post("/api/1.0/auth-clients").with(csrf()).with(TestAccounts.as(admin))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"Tuned\",\"types\":[\"client_credentials\"],\"require_dpop\":true,"
					+ "\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks\":{\"keys\":[" + key + "]},"
					+ "\"access_token_lifetime\":120,\"scopes\":[\"api\"],\"rate_limit\":{\"per_second\":5,"
					+ "\"burst\":10}}"))
			.andExpect(status().isCreated());
		// exported after the client it names (by name), so applying it finds that client
		mvc.perform(post("/api/1.0/auth-clients").with(csrf()).with(TestAccounts.as(admin))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\":\"Zz exchange\",\"types\":[\"token_exchange\"],"
					+ "\"token_exchange_audiences\":[\"billing\"]}"))
			.andExpect(status().isCreated());
		String yaml = export(YAML);
		String asJson = export(MediaType.APPLICATION_JSON_VALUE);
		assertThat(yaml).contains("client_id: \"billing\"", "- \"Readers\"", "name: \"2024\"")
			.doesNotContain("secret_hash", "gtcs_");
		assertThat(yaml).contains("require_dpop: true", "token_endpoint_auth_method: \"private_key_jwt\"",
				"\"tuned-1\"", "access_token_lifetime: 120", "per_second: 5", "token_exchange_audiences:",
				"- \"token_exchange\"");

		emptyConfiguration();
		assertThat(count("auth_client")).isZero();
		JsonNode report = apply(yaml, YAML, "");

		assertThat(report.get("created").asInt()).isEqualTo(8);
		assertThat(export(YAML)).isEqualTo(yaml);
		assertThat(export(MediaType.APPLICATION_JSON_VALUE)).isEqualTo(asJson);
		assertThat(count("auth_client")).isEqualTo(6);
	}

	@Test
	void applyWhenDryRunThenAnswersWhatWouldChangeAndWritesNothing() throws Exception {
		long audit = count("audit_record");
		long accounts = count("account");

		JsonNode report = apply(DOCUMENT, YAML, "?dry_run=true");

		assertThat(report.get("dry_run").asBoolean()).isTrue();
		assertThat(report.get("created").asInt()).isEqualTo(5);
		assertThat(actions(report)).containsEntry("client:billing", "created").containsEntry("group:Readers",
				"created");
		assertThat(report.toString()).doesNotContain("gtcs_");
		assertThat(count("auth_client")).isZero();
		assertThat(count("user_group")).isZero();
		assertThat(count("account")).isEqualTo(accounts);
		assertThat(count("audit_record")).isEqualTo(audit);
	}

	@Test
	void applyWhenAppliedTwiceThenSecondTimeUnchangedAndNothingAudited() throws Exception {
		apply(DOCUMENT, YAML, "");
		long audit = count("audit_record");
		int version = jdbc.sql("select version from auth_client where id = 'billing'").query(Integer.class).single();

		JsonNode again = apply(DOCUMENT, YAML, "");

		assertThat(again.get("result").asString()).isEqualTo("unchanged");
		assertThat(again.get("changes").size()).isZero();
		assertThat(again.get("unchanged").asInt()).isEqualTo(5);
		assertThat(count("audit_record")).isEqualTo(audit);
		assertThat(jdbc.sql("select version from auth_client where id = 'billing'").query(Integer.class).single())
			.isEqualTo(version);
		assertThat(apply(DOCUMENT, YAML, "?dry_run=true").get("result").asString()).isEqualTo("unchanged");
	}

	@Test
	void applyWhenAFieldChangesThenOnlyThatObjectUpdatedWithItsFields() throws Exception {
		apply(DOCUMENT, YAML, "");

		JsonNode report = apply(DOCUMENT.replace("permissions: [view-users]", "permissions: [view-users, view-groups]")
			.replace("name: Single Page", "name: Single Page App"), YAML, "");

		assertThat(actions(report)).containsExactly(Map.entry("client:billing", "updated"),
				Map.entry("client:spa", "updated"));
		assertThat(report.get("changes").get(0).get("fields").toString())
			.isEqualTo("[\"service_account.permissions\"]");
		assertThat(report.get("changes").get(1).get("fields").toString()).isEqualTo("[\"name\"]");
		assertThat(jdbc.sql("select name from auth_client where id = 'spa'").query(String.class).single())
			.isEqualTo("Single Page App");
	}

	@Test
	void applyWhenOneObjectInvalidThen400NamingItAndNothingWritten() throws Exception {
		long audit = count("audit_record");
		String broken = DOCUMENT.replace("\"https://spa.example/cb\"", "\"http://spa.example/cb\"");

		MockHttpServletResponse response = send(broken, YAML, "");

		assertThat(response.getStatus()).isEqualTo(400);
		JsonNode problem = json.readTree(response.getContentAsString());
		assertThat(problem.get("detail").asString()).startsWith("client \"spa\": ");
		assertThat(problem.get("errors").has("clients.1.redirect_uris")).isTrue();
		assertThat(count("auth_client")).isZero();
		assertThat(count("user_group")).isZero();
		assertThat(count("audit_record")).isEqualTo(audit);
	}

	@Test
	void applyWhenDocumentMalformedThen400NamingTheField() throws Exception {
		MockHttpServletResponse unknown = send("version: 1\nclients:\n- client_id: x\n  secret: s\n", YAML, "");
		assertThat(unknown.getStatus()).isEqualTo(400);
		assertThat(json.readTree(unknown.getContentAsString()).get("detail").asString())
			.isEqualTo("The clients.0.secret field is unknown.");

		MockHttpServletResponse twice = send(DOCUMENT.replace("- client_id: spa", "- client_id: billing"), YAML, "");
		assertThat(twice.getStatus()).isEqualTo(400);
		assertThat(json.readTree(twice.getContentAsString()).get("errors").has("clients.1.client_id")).isTrue();

		MockHttpServletResponse noVersion = send("{\"clients\":[]}", MediaType.APPLICATION_JSON_VALUE, "");
		assertThat(noVersion.getStatus()).isEqualTo(400);
		assertThat(send("clients: [", YAML, "").getStatus()).isEqualTo(400);
		assertThat(count("auth_client")).isZero();
	}

	@Test
	void applyWhenGrantingAPermissionTheCallerLacksThen403AndNothingWritten() throws Exception {
		User editor = TestAccounts.user().permissions(Permissions.VIEW_AUTH_CLIENTS, Permissions.CREATE_AUTH_CLIENTS,
				Permissions.EDIT_AUTH_CLIENTS, Permissions.VIEW_GROUPS, Permissions.CREATE_GROUPS,
				Permissions.EDIT_GROUPS, Permissions.VIEW_USERS, Permissions.EDIT_USERS).create(jdbc);
		String document = """
				version: 1
				groups:
				- name: Readers
				  permissions: [view-auth_clients]
				- name: Powerful
				  permissions: [delete-users]
				""";

		MockHttpServletResponse response = mvc.perform(post("/api/1.0/config").with(csrf())
			.with(TestAccounts.as(editor))
			.contentType(YAML)
			.content(document)).andReturn().getResponse();

		assertThat(response.getStatus()).isEqualTo(403);
		assertThat(json.readTree(response.getContentAsString()).get("detail").asString())
			.contains("group \"Powerful\"", "delete-users");
		assertThat(count("user_group")).isZero();
	}

	@Test
	void applyWhenGivingAServiceAccountAPermissionTheCallerLacksThen403AndNothingWritten() throws Exception {
		User editor = TestAccounts.user().permissions(Permissions.VIEW_AUTH_CLIENTS, Permissions.CREATE_AUTH_CLIENTS,
				Permissions.VIEW_GROUPS, Permissions.VIEW_USERS, Permissions.EDIT_USERS).create(jdbc);
		String document = """
				version: 1
				clients:
				- client_id: robot
				  name: Robot
				  types: [client_credentials]
				  service_account:
				    permissions: [delete-users]
				""";

		MockHttpServletResponse response = mvc.perform(post("/api/1.0/config").with(csrf())
			.with(TestAccounts.as(editor))
			.contentType(YAML)
			.content(document)).andReturn().getResponse();

		assertThat(response.getStatus()).isEqualTo(403);
		assertThat(json.readTree(response.getContentAsString()).get("detail").asString()).contains("delete-users");
		assertThat(count("auth_client")).isZero();
		assertThat(count("account where service_account = true")).isZero();
	}

	@Test
	void applyWhenCallerLacksThePermissionOfAChangeThen403() throws Exception {
		User viewer = TestAccounts.user().permissions(Permissions.VIEW_AUTH_CLIENTS, Permissions.VIEW_GROUPS,
				Permissions.VIEW_USERS).create(jdbc);

		MockHttpServletResponse response = mvc.perform(post("/api/1.0/config").with(csrf())
			.with(TestAccounts.as(viewer))
			.contentType(YAML)
			.content(DOCUMENT)).andReturn().getResponse();

		assertThat(response.getStatus()).isEqualTo(403);
		assertThat(json.readTree(response.getContentAsString()).get("detail").asString())
			.isEqualTo("You need the permission \"create-groups\" to create the group \"Readers\".");
		assertThat(count("user_group")).isZero();
		assertThat(mvc.perform(get("/api/1.0/config").with(TestAccounts.as(TestAccounts.user()
			.permissions(Permissions.VIEW_AUTH_CLIENTS, Permissions.VIEW_GROUPS).create(jdbc))))
			.andReturn().getResponse().getStatus()).isEqualTo(403);
		assertThat(mvc.perform(get("/api/1.0/config")).andReturn().getResponse().getStatus()).isEqualTo(401);
	}

	@Test
	void applyWhenNewConfidentialClientThenItsSecretShownOnceOrTakenFromTheHash() throws Exception {
		JsonNode report = apply(DOCUMENT, YAML, "");

		Map<String, JsonNode> changes = byKey(report);
		String secret = changes.get("client:billing").get("secret").asString();
		assertThat(secret).startsWith("gtcs_");
		assertThat(jdbc.sql("select secret_hash from auth_client_secret where client_id = 'billing'")
			.query(String.class).single()).isEqualTo(Secrets.sha256(secret));
		assertThat(changes.get("client:orders-api").has("secret")).isFalse();
		assertThat(changes.get("client:spa").has("secret")).isFalse();
		assertThat(jdbc.sql("select secret_hash from auth_client_secret where client_id = 'orders-api'")
			.query(String.class).single()).isEqualTo(Secrets.sha256("gtcs_the-orders-secret"));
		assertThat(apply(DOCUMENT, YAML, "").toString()).doesNotContain("gtcs_");
	}

	@Test
	void applyWhenServiceAccountListedThenItsPermissionsAndGroupsConverge() throws Exception {
		apply(DOCUMENT, YAML, "");
		long account = jdbc.sql("select service_account_id from auth_client where id = 'billing'")
			.query(Long.class).single();
		assertThat(groupsOf(account)).containsExactly("Readers");

		apply(DOCUMENT.replace("groups: [Readers]", "groups: [Auditors]"), YAML, "");

		assertThat(groupsOf(account)).containsExactly("Auditors");
		assertThat(jdbc.sql("select permission_name from account_permission where account_id = :id")
			.param("id", account).query(String.class).list()).containsExactly("view-users");
		MockHttpServletResponse unknown = send(DOCUMENT.replace("groups: [Readers]", "groups: [Nobody]"), YAML, "");
		assertThat(unknown.getStatus()).isEqualTo(400);
		assertThat(json.readTree(unknown.getContentAsString()).get("errors")
			.has("clients.0.service_account.groups")).isTrue();
	}

	@Test
	void applyWhenObjectMissingThenKeptUnlessPrune() throws Exception {
		apply(DOCUMENT, YAML, "");
		String fewer = DOCUMENT.substring(0, DOCUMENT.indexOf("- client_id: spa")) + "groups:\n- name: Readers\n"
				+ "  description: Reads clients\n  permissions: [view-auth_clients]\n";

		JsonNode kept = apply(fewer, YAML, "");
		assertThat(kept.get("deleted").asInt()).isZero();
		assertThat(count("auth_client where revoked = false")).isEqualTo(3);

		JsonNode pruned = apply(fewer, YAML, "?prune=true");
		assertThat(actions(pruned)).containsEntry("client:spa", "deleted")
			.containsEntry("client:orders-api", "deleted")
			.containsEntry("group:Auditors", "deleted");
		assertThat(jdbc.sql("select id from auth_client where revoked = false").query(String.class).list())
			.containsExactly("billing");
		assertThat(jdbc.sql("select name from user_group").query(String.class).list()).containsExactly("Readers");
	}

	@Test
	void applyWhenClientIdBelongsToADeletedClientThen400() throws Exception {
		apply(DOCUMENT, YAML, "");
		apply("version: 1\nclients: []\n", YAML, "?prune=true");

		MockHttpServletResponse response = send(DOCUMENT, YAML, "");

		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(json.readTree(response.getContentAsString()).get("errors").has("clients.0.client_id")).isTrue();
	}

	@Test
	void applyWhenChangesMadeThenAuditedAsTheCaller() throws Exception {
		apply(DOCUMENT, YAML, "");

		assertThat(jdbc.sql("select actor_username from audit_record where subject_type = 'auth_client'"
				+ " and subject_id = 'billing' and action = 'created' order by id desc fetch first 1 rows only")
			.query(String.class).list()).containsExactly(admin.username());
	}

	@Test
	void applyWhenHundredsOfNewClientsThenTheStatementsDoNotGrowWithTheirNumber() throws Exception {
		int clients = 300;
		StringBuilder yaml = new StringBuilder("version: 1\nclients:\n");
		for (int i = 0; i < clients; i++) {
			yaml.append("- client_id: many-").append(i).append("\n  name: Many ").append(i).append('\n');
			yaml.append(i % 2 == 0
					? "  types: [client_credentials]\n  service_account:\n    permissions: [view-auth_clients]\n"
							+ "    groups: [Many readers]\n"
					: "  types: [authorization_code_grant]\n  redirect_uris: [\"https://many.example/cb\"]\n");
		}
		yaml.append("groups:\n- name: Many readers\n  permissions: [view-users]\n");

		statements.start();
		JsonNode report = apply(yaml.toString(), YAML, "");
		List<StatementLog.Statement> recorded = statements.stop()
			.stream()
			.filter(statement -> statement.thread().equals(Thread.currentThread().getName()))
			.toList();

		assertThat(report.get("created").asInt()).isEqualTo(clients + 1);
		assertThat(jdbc.sql("select count(*) from audit_record where subject_type = 'auth_client' "
				+ "and subject_id like 'many-%'").query(Long.class).single()).isEqualTo(clients);
		// a handful of reads, and the rows written in batches: about 30 statements whatever the number of clients
		// (one per client or more before: 2,400 for these 300)
		assertThat(recorded).as(String.join("\n", recorded.stream().map(StatementLog.Statement::sql).toList()))
			.hasSizeLessThan(60);
		assertThat(recorded.stream().filter(statement -> statement.isInsertInto("auth_client")))
			.allSatisfy(insert -> assertThat(insert.batchSize()).isEqualTo(clients));
		assertThat(recorded.stream().filter(statement -> statement.sql().contains("pg_notify"))).hasSizeLessThan(2);
	}

	private JsonNode apply(String document, String type, String query) throws Exception {
		MockHttpServletResponse response = send(document, type, query);
		assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
		assertThat(response.getHeader("Cache-Control")).contains("no-store");
		return json.readTree(response.getContentAsString());
	}

	private MockHttpServletResponse send(String document, String type, String query) throws Exception {
		return mvc.perform(post("/api/1.0/config" + query).with(csrf())
			.with(TestAccounts.as(admin))
			.contentType(type)
			.content(document)).andReturn().getResponse();
	}

	private String export(String type) throws Exception {
		MockHttpServletResponse response = mvc.perform(get("/api/1.0/config").accept(type)
			.with(TestAccounts.as(admin))).andReturn().getResponse();
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getContentType()).startsWith(type);
		return response.getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
	}

	private static Map<String, String> actions(JsonNode report) {
		Map<String, String> actions = new java.util.LinkedHashMap<>();
		byKey(report).forEach((key, change) -> actions.put(key, change.get("action").asString()));
		return actions;
	}

	private static Map<String, JsonNode> byKey(JsonNode report) {
		Map<String, JsonNode> changes = new java.util.LinkedHashMap<>();
		report.get("changes").forEach(change -> changes.put(change.get("kind").asString() + ":"
				+ change.get("key").asString(), change));
		return changes;
	}

	private List<String> groupsOf(long account) {
		return jdbc.sql("select g.name from group_member m join user_group g on g.id = m.group_id"
				+ " where m.account_id = :id").param("id", account).query(String.class).list();
	}

	private long count(String table) {
		return jdbc.sql("select count(*) from " + table).query(Long.class).single();
	}

	/**
	 * Removes every client, group and service account, the seeded ones included: the configuration of an empty
	 * database (the people who sign in stay).
	 */
	private void emptyConfiguration() {
		jdbc.sql("delete from group_member").update();
		jdbc.sql("delete from group_permission").update();
		jdbc.sql("delete from account_permission where account_id in (select id from account"
				+ " where service_account = true)").update();
		jdbc.sql("delete from auth_client_secret").update();
		jdbc.sql("delete from personal_access_token").update();
		jdbc.sql("delete from auth_client").update();
		jdbc.sql("delete from account where service_account = true").update();
		jdbc.sql("delete from user_group").update();
	}

}
