package io.gatehouse.audit;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.accounts.TestGroups;
import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static io.gatehouse.support.OAuthRequests.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Security events reach the audit log with who, what and when, never a secret; the log is shown only to holders. */
@GatehouseIntegrationTest
class AuditTrailIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Autowired
	AuthClientService clients;

	@Autowired
	AuditLog log;

	@Autowired
	AuditTrail trail;

	@Autowired
	PlatformTransactionManager transactions;

	private void login(String username, String password) throws Exception {
		mvc.perform(post("/login").with(csrf()).param("username", username).param("password", password));
	}

	private List<AuditRecord> records(String actor, String type) {
		return log.search(AuditQuery.parse(actor, null, type, null, null, null, null)).rows();
	}

	/** Every stored column of every audit record, as one text: what must never hold a secret. */
	private String everythingStored() {
		return String.join("\n", jdbc.sql("""
				select concat(actor_username, ' ', subject_id, ' ', subject_name, ' ', changes, ' ',
				              coalesce(client_id, '')) from audit_record
				""").query(String.class).list());
	}

	@Test
	void consoleLoginWhenWrongPasswordThenFailureRecordedWithReasonAndNeverThePassword() throws Exception {
		User user = TestAccounts.user().create(jdbc);
		String attempted = "attempted-" + UUID.randomUUID();

		login(user.username(), attempted);

		assertThat(records(user.username(), "sign_in.failed")).singleElement().satisfies(record -> {
			assertThat(record.actorId()).isEqualTo(user.id());
			assertThat(record.occurredAt()).isNotNull();
			assertThat(record.changes()).contains(new FieldChange("reason", null, "bad_password"),
					new FieldChange("channel", null, "console"));
		});
		assertThat(everythingStored()).doesNotContain(attempted);
	}

	@Test
	void consoleLoginWhenUnknownUsernameThenRecordedAnonymousWithoutTheTypedText() throws Exception {
		// people type their password into the username field: what names no account is not kept
		String typed = "maybe-a-password-" + UUID.randomUUID();

		login(typed, "whatever " + typed);

		assertThat(everythingStored()).doesNotContain(typed);
		assertThat(records("anonymous", "sign_in.failed")).anySatisfy(record -> assertThat(record.changes())
			.contains(new FieldChange("reason", null, "unknown_user")));
	}

	@Test
	void consoleLoginWhenRightPasswordThenSuccessRecordedAndNoPassword() throws Exception {
		User user = TestAccounts.user().create(jdbc);

		login(user.username(), TestAccounts.PASSWORD);

		assertThat(records(user.username(), "sign_in.succeeded")).hasSize(1);
		assertThat(everythingStored()).doesNotContain(TestAccounts.PASSWORD);
	}

	@Test
	void passwordGrantWhenWrongPasswordThenFailureRecordedAgainstTheClient() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("Audited desktop " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD), List.of()));
		User user = TestAccounts.user().create(jdbc);
		String attempted = "grant-guess-" + UUID.randomUUID();

		mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "password").param("username", user.username()).param("password", attempted))
			.andExpect(status().isBadRequest());

		assertThat(log.search(AuditQuery.parse(null, client.client().id(), "sign_in.failed", null, null, null,
				null)).rows()).singleElement().satisfies(record -> {
					assertThat(record.actorUsername()).isEqualTo(user.username());
					assertThat(record.changes()).contains(new FieldChange("channel", null, "password_grant"));
				});
		assertThat(everythingStored()).doesNotContain(attempted).doesNotContain(client.secret());
	}

	@Test
	void passwordGrantWhenRightPasswordThenTokenIssuedWithoutAnAuditRecord() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("Unaudited desktop " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD), List.of()));
		User user = TestAccounts.user().create(jdbc);

		mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "password").param("username", user.username())
			.param("password", TestAccounts.PASSWORD))
			.andExpect(status().isOk());

		assertThat(records(user.username(), null)).isEmpty();
	}

	@Test
	void revokeWhenClientRevokesItsTokenThenRecordedNamingTheClientNotTheToken() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("Revoking app " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD), List.of()));
		User user = TestAccounts.user().create(jdbc);
		String body = mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "password").param("username", user.username())
			.param("password", TestAccounts.PASSWORD))
			.andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
		String token = json.readTree(body).get("access_token").asString();

		mvc.perform(post("/oauth/revoke").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret())).param("token", token))
			.andExpect(status().isOk());

		assertThat(log.search(AuditQuery.parse(null, client.client().id(), "oauth_token.revoked", null, null, null,
				null)).rows()).singleElement()
			.satisfies(record -> assertThat(record.actorUsername()).isEqualTo("client:" + client.client().id()));
		assertThat(everythingStored()).doesNotContain(token);
	}

	@Test
	void groupPermissionsWhenChangedThenRecordedWithWhoAndWhat() throws Exception {
		User admin = TestAccounts.user().permissions("view-groups", "edit-groups").create(jdbc);
		var group = TestGroups.group().create(jdbc);

		mvc.perform(put("/api/1.0/groups/" + group.id() + "/permissions").with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content("{\"permissions\":[\"view-groups\"]}")
			.with(TestAccounts.as(admin))).andExpect(status().isOk());

		assertThat(records(admin.username(), "group.updated")).singleElement().satisfies(record -> {
			assertThat(record.actorId()).isEqualTo(admin.id());
			assertThat(record.subjectId()).isEqualTo(Long.toString(group.id()));
			assertThat(record.changes()).anySatisfy(change -> assertThat(change.to()).contains("view-groups"));
		});
	}

	@Test
	void auditApiWhenCallerLacksViewAuditThenForbiddenAndWithItFilteredPage() throws Exception {
		User nobody = TestAccounts.user().permissions("view-users").create(jdbc);
		User auditor = TestAccounts.user().permissions("view-audit").create(jdbc);
		User watched = TestAccounts.user().create(jdbc);
		login(watched.username(), "wrong " + UUID.randomUUID());

		mvc.perform(get("/api/1.0/audit")).andExpect(status().isUnauthorized());
		mvc.perform(get("/api/1.0/audit").with(TestAccounts.as(nobody))).andExpect(status().isForbidden());
		mvc.perform(get("/api/1.0/audit/types").with(TestAccounts.as(nobody))).andExpect(status().isForbidden());
		mvc.perform(get("/api/1.0/audit").param("actor", watched.username()).with(TestAccounts.as(auditor)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data.length()").value(1))
			.andExpect(jsonPath("$.data[0].type").value("sign_in.failed"))
			.andExpect(jsonPath("$.data[0].actor").value(watched.username()))
			.andExpect(jsonPath("$.data[0].occurred_at").isString())
			.andExpect(jsonPath("$.meta.has_more").value(false));
	}

	@Test
	void auditApiWhenParametersMalformedThen422NamingThem() throws Exception {
		User auditor = TestAccounts.user().permissions("view-audit").create(jdbc);

		mvc.perform(get("/api/1.0/audit").param("type", "nope").param("from", "last week").param("per_page", "0")
			.with(TestAccounts.as(auditor)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.type").exists())
			.andExpect(jsonPath("$.errors.from").exists())
			.andExpect(jsonPath("$.errors.per_page").exists());
	}

	@Test
	void auditPageWhenCallerLacksViewAuditThenForbiddenAndWithItListsEvents() throws Exception {
		User nobody = TestAccounts.user().permissions("view-users").create(jdbc);
		User auditor = TestAccounts.user().permissions("view-audit").create(jdbc);
		User watched = TestAccounts.user().create(jdbc);
		login(watched.username(), "wrong " + UUID.randomUUID());

		mvc.perform(get("/admin/audit").with(TestAccounts.as(nobody))).andExpect(status().isForbidden());
		mvc.perform(get("/admin/audit").param("actor", watched.username()).with(TestAccounts.as(auditor)))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(watched.username())))
			.andExpect(content().string(containsString("sign_in.failed")));
		mvc.perform(get("/admin/audit").param("from", "soon").with(TestAccounts.as(auditor)))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("The from field must be a date")));
	}

	@Test
	void recordWhenTheChangesTransactionRollsBackThenNoRecordRemains() {
		String subject = "rolled-back-" + UUID.randomUUID();
		new TransactionTemplate(transactions).executeWithoutResult(status -> {
			trail.record("updated", "group", subject, subject, List.of(new FieldChange("name", "a", "b")));
			status.setRollbackOnly();
		});
		trail.record("updated", "group", subject + "-kept", subject, List.of(new FieldChange("name", "a", "b")));

		assertThat(log.historyOf("group", subject, 10)).isEmpty();
		assertThat(log.historyOf("group", subject + "-kept", 10)).hasSize(1);
	}

	@Test
	void apiDocumentationWhenFetchedThenDescribesTheAuditEndpoints() throws Exception {
		mvc.perform(get("/api/documentation/openapi.json"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.paths['/api/1.0/audit'].get.parameters[*].name")
				.value(hasItems("actor", "client", "type", "from", "to", "page", "per_page")))
			.andExpect(jsonPath("$.paths['/api/1.0/audit/types'].get").exists());
	}

	@Test
	void migrationWhenAppliedThenAdministratorsHoldViewAudit() {
		assertThat(jdbc.sql("""
				select count(*) from group_permission gp join user_group g on g.id = gp.group_id
				where g.name_key = 'administrators' and gp.permission_name = 'view-audit'
				""").query(Long.class).single()).isEqualTo(1);
	}

}
