package io.gatehouse.accounts;

import java.util.List;
import java.util.Set;

import io.gatehouse.clients.AuthClient;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.Topics;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest
@AutoConfigureMockMvc
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:user-api;MODE=PostgreSQL;"
		+ "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH")
class UserApiIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	/** For changes the tests make in SQL: published as the owning service does in its transaction. */
	@Autowired
	ChangeSignals signals;

	@Autowired
	AuthClientService clients;

	@Autowired
	JsonMapper jsonMapper;

	private User admin() {
		return TestAccounts.user().superAdmin().create(jdbc);
	}

	private AuthClient clientWithServiceAccount(String name) {
		return clients.create(new AuthClientDraft(name + " " + java.util.UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of())).client();
	}

	private String passwordHash(long id) {
		return jdbc.sql("select password_hash from account where id = :id").param("id", id).query(String.class)
			.single();
	}

	private List<String> directPermissions(User user) {
		return jdbc.sql("select permission_name from account_permission where account_id = :id order by 1")
			.param("id", user.id()).query(String.class).list();
	}

	private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, String body) {
		return request.with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body);
	}

	// the permission matrix

	@Test
	void listWhenNotSignedInThen401() throws Exception {
		mvc.perform(get("/api/1.0/users")).andExpect(status().isUnauthorized());
	}

	@Test
	void createWhenNotSignedInThen401() throws Exception {
		mvc.perform(json(post("/api/1.0/users"), "{}")).andExpect(status().isUnauthorized());
	}

	@Test
	void listWhenNoPermissionThen403() throws Exception {
		User nobody = TestAccounts.user().create(jdbc);
		mvc.perform(get("/api/1.0/users").with(TestAccounts.as(nobody))).andExpect(status().isForbidden());
		mvc.perform(get("/api/1.0/users/" + nobody.id()).with(TestAccounts.as(nobody)))
			.andExpect(status().isForbidden());
		mvc.perform(get("/api/1.0/permissions").with(TestAccounts.as(nobody))).andExpect(status().isForbidden());
	}

	@Test
	void writeWhenViewOnlyThen403AndNothingChanged() throws Exception {
		User viewer = TestAccounts.user().permissions("view-users").create(jdbc);
		User target = TestAccounts.user().create(jdbc);
		mvc.perform(get("/api/1.0/users").with(TestAccounts.as(viewer))).andExpect(status().isOk());
		mvc.perform(json(post("/api/1.0/users"), "{\"username\":\"viewer-made\",\"password\":\"secret-password\"}")
			.with(TestAccounts.as(viewer))).andExpect(status().isForbidden());
		mvc.perform(json(put("/api/1.0/users/" + target.id()), "{\"firstname\":\"Changed\"}")
			.with(TestAccounts.as(viewer))).andExpect(status().isForbidden());
		mvc.perform(json(put("/api/1.0/users/" + target.id() + "/permissions"), "{\"permissions\":[]}")
			.with(TestAccounts.as(viewer))).andExpect(status().isForbidden());
		mvc.perform(delete("/api/1.0/users/" + target.id()).with(csrf()).with(TestAccounts.as(viewer)))
			.andExpect(status().isForbidden());
		assertThat(TestAccounts.find(jdbc, target.username()).firstname()).isEqualTo("Test");
		assertThat(jdbc.sql("select count(*) from account where username_key = 'viewer-made'").query(Long.class)
			.single()).isZero();
	}

	@Test
	void updateWhenViewAndEditThen200ButCreateAndDeleteForbidden() throws Exception {
		User editor = TestAccounts.user().permissions("view-users", "edit-users").create(jdbc);
		User target = TestAccounts.user().create(jdbc);
		mvc.perform(json(put("/api/1.0/users/" + target.id()), "{\"firstname\":\"Changed\"}")
			.with(TestAccounts.as(editor)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.firstname").value("Changed"));
		mvc.perform(json(post("/api/1.0/users"), "{\"username\":\"editor-made\",\"password\":\"secret-password\"}")
			.with(TestAccounts.as(editor))).andExpect(status().isForbidden());
		mvc.perform(delete("/api/1.0/users/" + target.id()).with(csrf()).with(TestAccounts.as(editor)))
			.andExpect(status().isForbidden());
	}

	@Test
	void everyRouteWhenPermissionThroughGroupThenAllowed() throws Exception {
		Group managers = TestGroups.group()
			.permissions("view-users", "create-users", "edit-users", "delete-users")
			.create(jdbc);
		User manager = TestAccounts.user().inGroup(managers.id()).create(jdbc);
		mvc.perform(get("/api/1.0/users").with(TestAccounts.as(manager))).andExpect(status().isOk());
		mvc.perform(get("/api/1.0/permissions").with(TestAccounts.as(manager))).andExpect(status().isOk());
		String location = mvc
			.perform(json(post("/api/1.0/users"), "{\"username\":\"group-made\",\"password\":\"secret-password\"}")
				.with(TestAccounts.as(manager)))
			.andExpect(status().isCreated())
			.andReturn()
			.getResponse()
			.getHeader("Location");
		mvc.perform(get(location).with(TestAccounts.as(manager))).andExpect(status().isOk());
		mvc.perform(json(put(location + "/permissions"), "{\"permissions\":[\"view-users\"]}")
			.with(TestAccounts.as(manager))).andExpect(status().isOk());
		mvc.perform(delete(location).with(csrf()).with(TestAccounts.as(manager))).andExpect(status().isNoContent());
		mvc.perform(get(location).with(TestAccounts.as(manager))).andExpect(status().isNotFound());
	}

	@Test
	void permissionRemovedWhenNextRequestThenForbidden() throws Exception {
		User viewer = TestAccounts.user().permissions("view-users").create(jdbc);
		mvc.perform(get("/api/1.0/users").with(TestAccounts.as(viewer))).andExpect(status().isOk());
		jdbc.sql("delete from account_permission where account_id = :id").param("id", viewer.id()).update();
		signals.publish(Topics.ACCOUNT, Long.toString(viewer.id()));
		mvc.perform(get("/api/1.0/users").with(TestAccounts.as(viewer))).andExpect(status().isForbidden());
	}

	// create and read

	@Test
	void createWhenValidThen201WithIdAndNeverThePassword() throws Exception {
		mvc.perform(json(post("/api/1.0/users"), """
				{"username":"  Alice ","password":"secret-password","email":"alice@example.com",
				 "firstname":"Alice","lastname":"Liddell"}
				""").with(TestAccounts.as(admin())))
			.andExpect(status().isCreated())
			.andExpect(header().exists("ETag"))
			.andExpect(jsonPath("$.id").isNumber())
			.andExpect(jsonPath("$.username").value("Alice"))
			.andExpect(jsonPath("$.email").value("alice@example.com"))
			.andExpect(jsonPath("$.active").value(true))
			.andExpect(jsonPath("$.super_admin").value(false))
			.andExpect(jsonPath("$.password").doesNotExist())
			.andExpect(jsonPath("$.password_hash").doesNotExist())
			.andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
				.string(not(containsString("bcrypt"))));
		String hash = jdbc.sql("select password_hash from account where username_key = 'alice'")
			.query(String.class)
			.single();
		assertThat(hash).startsWith("{bcrypt}").doesNotContain("secret-password");
	}

	@Test
	void showWhenExistsThenUserWithPermissionsGroupsAndEtag() throws Exception {
		Group group = TestGroups.group().name("Readers").create(jdbc);
		User target = TestAccounts.user().permissions("view-groups").inGroup(group.id()).create(jdbc);
		mvc.perform(get("/api/1.0/users/" + target.id()).with(TestAccounts.as(admin())))
			.andExpect(status().isOk())
			.andExpect(header().string("ETag", "\"1\""))
			.andExpect(jsonPath("$.permissions[0]").value("view-groups"))
			.andExpect(jsonPath("$.groups[0].name").value("Readers"));
	}

	@Test
	void listWhenFilteredAndSortedThenPageEnvelope() throws Exception {
		TestAccounts.user().username("zz-list-b").create(jdbc);
		TestAccounts.user().username("zz-list-a").create(jdbc);
		TestAccounts.user().username("zz-list-c").create(jdbc);
		mvc.perform(get("/api/1.0/users?filter=ZZ-LIST&order_by=username&order_direction=desc&per_page=2&page=1")
			.with(TestAccounts.as(admin())))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data.length()").value(2))
			.andExpect(jsonPath("$.data[0].username").value("zz-list-c"))
			.andExpect(jsonPath("$.data[1].username").value("zz-list-b"))
			.andExpect(jsonPath("$.meta.total").value(3))
			.andExpect(jsonPath("$.meta.per_page").value(2))
			.andExpect(jsonPath("$.meta.total_pages").value(2));
	}

	@Test
	void listWhenFilterHasWildcardThenMatchedLiterally() throws Exception {
		TestAccounts.user().username("pct-plain").create(jdbc);
		mvc.perform(get("/api/1.0/users?filter=pct%25").with(TestAccounts.as(admin())))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.meta.total").value(0));
	}

	@Test
	void listWhenBadOrderOrPageThen422() throws Exception {
		mvc.perform(get("/api/1.0/users?order_by=password_hash").with(TestAccounts.as(admin())))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.order_by[0]").value(containsString("must be one of")));
		mvc.perform(get("/api/1.0/users?page=0").with(TestAccounts.as(admin())))
			.andExpect(status().isUnprocessableContent());
	}

	// validation

	@Test
	void createWhenFieldsMissingThen422WithMessages() throws Exception {
		mvc.perform(json(post("/api/1.0/users"), "{}").with(TestAccounts.as(admin())))
			.andExpect(status().isUnprocessableContent())
			.andExpect(header().string("Content-Type", containsString("application/problem+json")))
			.andExpect(jsonPath("$.errors.username[0]").value("The Username field is required."))
			.andExpect(jsonPath("$.errors.password[0]").value("The Password field is required."));
	}

	@Test
	void createWhenUsernameTakenInOtherCaseThen422() throws Exception {
		TestAccounts.user().username("Taken").create(jdbc);
		mvc.perform(json(post("/api/1.0/users"), "{\"username\":\" tAKEN \",\"password\":\"secret-password\"}")
			.with(TestAccounts.as(admin())))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.username[0]").value("The Username has already been taken."));
	}

	@Test
	void createWhenFieldsTooLongOrInvalidThen422AndNothingWritten() throws Exception {
		String long256 = "x".repeat(256);
		mvc.perform(json(post("/api/1.0/users"), "{\"username\":\"" + long256 + "\",\"password\":\"short\","
				+ "\"email\":\"not-an-email\",\"firstname\":\"" + long256 + "\",\"lastname\":\"" + long256 + "\"}")
			.with(TestAccounts.as(admin())))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.username[0]").value("The Username must not be greater than 255 characters."))
			.andExpect(jsonPath("$.errors.firstname[0]").value("The Firstname must not be greater than 255 "
					+ "characters."))
			.andExpect(jsonPath("$.errors.lastname[0]").value("The Lastname must not be greater than 255 characters."))
			.andExpect(jsonPath("$.errors.email[0]").value("The Email must be a valid email address."))
			.andExpect(jsonPath("$.errors.password[0]").value("The Password must be at least 8 characters."));
		assertThat(jdbc.sql("select count(*) from account where username_key = :key").param("key", long256)
			.query(Long.class).single()).isZero();
	}

	@Test
	void createWhenPasswordOver72BytesThen422() throws Exception {
		mvc.perform(json(post("/api/1.0/users"), "{\"username\":\"longpass\",\"password\":\"" + "é".repeat(37) + "\"}")
			.with(TestAccounts.as(admin())))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.password[0]").value("The Password must not be greater than 72 bytes."));
	}

	@Test
	void createWhenUnknownPermissionThen422AndNoUser() throws Exception {
		mvc.perform(json(post("/api/1.0/users"),
				"{\"username\":\"unknownperm\",\"password\":\"secret-password\",\"permissions\":[\"fly\"]}")
			.with(TestAccounts.as(admin())))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.permissions[0]").value("The selected permission \"fly\" is invalid."));
		assertThat(jdbc.sql("select count(*) from account where username_key = 'unknownperm'").query(Long.class)
			.single()).isZero();
	}

	@Test
	void updateWhenUsernameBlankOrTakenThen422() throws Exception {
		User other = TestAccounts.user().create(jdbc);
		User target = TestAccounts.user().create(jdbc);
		User admin = admin();
		mvc.perform(json(put("/api/1.0/users/" + target.id()), "{\"username\":\"   \"}").with(TestAccounts.as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.username[0]").value("The Username field is required."));
		mvc.perform(json(put("/api/1.0/users/" + target.id()), "{\"username\":\"" + other.username().toUpperCase()
				+ "\"}")
			.with(TestAccounts.as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.username[0]").value("The Username has already been taken."));
		mvc.perform(json(put("/api/1.0/users/" + target.id()), "{\"username\":\"" + target.username().toUpperCase()
				+ "\"}")
			.with(TestAccounts.as(admin)))
			.andExpect(status().isOk());
	}

	// concurrency

	@Test
	void updateWhenIfMatchStaleThen412AndNothingChanged() throws Exception {
		User target = TestAccounts.user().create(jdbc);
		User admin = admin();
		mvc.perform(json(put("/api/1.0/users/" + target.id()), "{\"firstname\":\"First\"}")
			.header("If-Match", "\"1\"")
			.with(TestAccounts.as(admin))).andExpect(status().isOk()).andExpect(header().string("ETag", "\"2\""));
		mvc.perform(json(put("/api/1.0/users/" + target.id()), "{\"firstname\":\"Second\"}")
			.header("If-Match", "\"1\"")
			.with(TestAccounts.as(admin))).andExpect(status().isPreconditionFailed());
		assertThat(TestAccounts.find(jdbc, target.username()).firstname()).isEqualTo("First");
	}

	// round trip: what GET shows, PUT takes back

	@Test
	void updateWhenShownBodySentBackUnchangedThen200AndNothingChanged() throws Exception {
		Group group = TestGroups.group().create(jdbc);
		User target = TestAccounts.user().email("round.trip@example.com").permissions("view-groups").inGroup(group.id())
			.create(jdbc);
		// an editor as powerful as the target (changing a stronger account is refused even when nothing changes)
		User editor = TestAccounts.user().permissions("view-users", "edit-users", "view-groups").create(jdbc);
		String shown = mvc.perform(get("/api/1.0/users/" + target.id()).with(TestAccounts.as(editor))).andReturn()
			.getResponse().getContentAsString();

		mvc.perform(json(put("/api/1.0/users/" + target.id()), shown).header("If-Match", "\"1\"")
			.with(TestAccounts.as(editor)))
			.andExpect(status().isOk())
			.andExpect(header().string("ETag", "\"1\""));

		String after = mvc.perform(get("/api/1.0/users/" + target.id()).with(TestAccounts.as(editor))).andReturn()
			.getResponse().getContentAsString();
		assertThat(jsonMapper.readTree(after)).isEqualTo(jsonMapper.readTree(shown));
		assertThat(auditCount(target)).isZero();
	}

	@Test
	void updateWhenShownBodySentBackWithNewFirstnameThen200WithTheChangeOnly() throws Exception {
		Group group = TestGroups.group().create(jdbc);
		User target = TestAccounts.user().permissions("view-groups").inGroup(group.id()).create(jdbc);
		User admin = admin();
		tools.jackson.databind.node.ObjectNode shown = (tools.jackson.databind.node.ObjectNode) jsonMapper.readTree(
				mvc.perform(get("/api/1.0/users/" + target.id()).with(TestAccounts.as(admin))).andReturn().getResponse()
					.getContentAsString());
		shown.put("firstname", "Renamed");

		mvc.perform(json(put("/api/1.0/users/" + target.id()), jsonMapper.writeValueAsString(shown))
			.header("If-Match", "\"1\"")
			.with(TestAccounts.as(admin)))
			.andExpect(status().isOk())
			.andExpect(header().string("ETag", "\"2\""))
			.andExpect(jsonPath("$.firstname").value("Renamed"))
			.andExpect(jsonPath("$.username").value(target.username()))
			.andExpect(jsonPath("$.permissions[0]").value("view-groups"))
			.andExpect(jsonPath("$.groups[0].id").value(group.id()));
		assertThat(TestAccounts.find(jdbc, target.username()).firstname()).isEqualTo("Renamed");
	}

	private long auditCount(User user) {
		return jdbc.sql("select count(*) from audit_record where subject_type = 'user' and subject_id = :id")
			.param("id", Long.toString(user.id()))
			.query(Long.class)
			.single();
	}

	// escalation rules

	@Test
	void setPermissionsWhenGrantingUnheldPermissionThen403NamingIt() throws Exception {
		User editor = TestAccounts.user().permissions("view-users", "edit-users").create(jdbc);
		User target = TestAccounts.user().create(jdbc);
		mvc.perform(json(put("/api/1.0/users/" + target.id() + "/permissions"),
				"{\"permissions\":[\"view-users\",\"delete-users\"]}")
			.with(TestAccounts.as(editor)))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value(containsString("delete-users")));
		mvc.perform(json(put("/api/1.0/users/" + target.id() + "/permissions"), "{\"permissions\":[\"view-users\"]}")
			.with(TestAccounts.as(editor)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.permissions[0]").value("view-users"));
	}

	@Test
	void setPermissionsWhenTargetHoldsPermissionEditorLacksThen403NamingItAndNothingRemoved() throws Exception {
		User editor = TestAccounts.user().permissions("view-users", "edit-users").create(jdbc);
		User target = TestAccounts.user().permissions("view-users", "delete-users").create(jdbc);
		mvc.perform(json(put("/api/1.0/users/" + target.id() + "/permissions"), "{\"permissions\":[\"delete-users\"]}")
			.with(TestAccounts.as(editor)))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value("You cannot change the user \"" + target.username()
					+ "\": they hold the permission \"delete-users\", which you do not hold yourself."));
		assertThat(directPermissions(target)).containsExactly("delete-users", "view-users");
	}

	@Test
	void setPermissionsWhenEditorHoldsEverythingTargetHoldsThenPermissionRemoved() throws Exception {
		User editor = TestAccounts.user().permissions("view-users", "edit-users", "delete-users").create(jdbc);
		User target = TestAccounts.user().permissions("view-users", "delete-users").create(jdbc);
		mvc.perform(json(put("/api/1.0/users/" + target.id() + "/permissions"), "{\"permissions\":[\"view-users\"]}")
			.with(TestAccounts.as(editor)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.permissions.length()").value(1));
		assertThat(directPermissions(target)).containsExactly("view-users");
	}

	@Test
	void updateWhenTargetHoldsPermissionOnlyThroughGroupThen403() throws Exception {
		User editor = TestAccounts.user().permissions("view-users", "edit-users").create(jdbc);
		User target = TestAccounts.user().permissionsThroughGroup("delete-auth_clients").create(jdbc);
		mvc.perform(json(put("/api/1.0/users/" + target.id()), "{\"email\":\"mine@example.com\"}")
			.with(TestAccounts.as(editor)))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value(containsString("\"delete-auth_clients\", which you do not hold")));
		assertThat(TestAccounts.find(jdbc, target.id()).email()).isEmpty();
	}

	@Test
	void setPermissionsWhenUnknownOrMissingThen422() throws Exception {
		User target = TestAccounts.user().create(jdbc);
		User admin = admin();
		mvc.perform(json(put("/api/1.0/users/" + target.id() + "/permissions"), "{\"permissions\":[\"nope\"]}")
			.with(TestAccounts.as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.permissions[0]").value("The selected permission \"nope\" is invalid."));
		mvc.perform(json(put("/api/1.0/users/" + target.id() + "/permissions"), "{}").with(TestAccounts.as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.permissions[0]").value("The permissions field is required."));
		mvc.perform(json(put("/api/1.0/users/" + target.id() + "/permissions"), "{\"permissions\":[null]}")
			.with(TestAccounts.as(admin)))
			.andExpect(status().isUnprocessableContent());
	}

	@Test
	void superAdminFlagWhenSetByNonSuperAdminThen403() throws Exception {
		User manager = TestAccounts.user().permissions("view-users", "create-users", "edit-users").create(jdbc);
		User target = TestAccounts.user().create(jdbc);
		mvc.perform(json(post("/api/1.0/users"),
				"{\"username\":\"wannabe\",\"password\":\"secret-password\",\"super_admin\":true}")
			.with(TestAccounts.as(manager))).andExpect(status().isForbidden());
		mvc.perform(json(put("/api/1.0/users/" + target.id()), "{\"super_admin\":true}").with(TestAccounts.as(manager)))
			.andExpect(status().isForbidden());
		assertThat(TestAccounts.find(jdbc, target.username()).superAdmin()).isFalse();
	}

	@Test
	void superAdminFlagWhenSetBySuperAdminThenSaved() throws Exception {
		User target = TestAccounts.user().create(jdbc);
		mvc.perform(json(put("/api/1.0/users/" + target.id()), "{\"super_admin\":true}").with(TestAccounts.as(admin())))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.super_admin").value(true));
	}

	@Test
	void superAdminAccountWhenEditedOrDeletedByNonSuperAdminThen403() throws Exception {
		User manager = TestAccounts.user().permissions("view-users", "edit-users", "delete-users").create(jdbc);
		User boss = TestAccounts.user().superAdmin().create(jdbc);
		mvc.perform(json(put("/api/1.0/users/" + boss.id()), "{\"password\":\"taken-over-now\"}")
			.with(TestAccounts.as(manager))).andExpect(status().isForbidden());
		mvc.perform(json(put("/api/1.0/users/" + boss.id()), "{\"firstname\":\"Renamed\"}")
			.with(TestAccounts.as(manager))).andExpect(status().isForbidden());
		mvc.perform(delete("/api/1.0/users/" + boss.id()).with(csrf()).with(TestAccounts.as(manager)))
			.andExpect(status().isForbidden());
		assertThat(TestAccounts.find(jdbc, boss.username()).firstname()).isEqualTo("Test");
	}

	@Test
	void passwordWhenSetOnMorePowerfulUserThen403() throws Exception {
		User editor = TestAccounts.user().permissions("view-users", "edit-users").create(jdbc);
		User powerful = TestAccounts.user().permissions("delete-auth_clients").create(jdbc);
		mvc.perform(json(put("/api/1.0/users/" + powerful.id()), "{\"password\":\"taken-over-now\"}")
			.with(TestAccounts.as(editor)))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value(containsString("delete-auth_clients")));
	}

	// service accounts

	@Test
	void showWhenServiceAccountThenMarkedWithItsClient() throws Exception {
		AuthClient client = clientWithServiceAccount("Billing robot");
		User admin = admin();
		mvc.perform(get("/api/1.0/users/" + client.serviceAccountId()).with(TestAccounts.as(admin)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.service_account").value(true))
			.andExpect(jsonPath("$.client_id").value(client.id()))
			.andExpect(jsonPath("$.client_name").value(client.name()));
		mvc.perform(get("/api/1.0/users?filter=svc-" + client.id()).with(TestAccounts.as(admin)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data[0].service_account").value(true))
			.andExpect(jsonPath("$.data[0].client_id").value(client.id()));
		mvc.perform(get("/api/1.0/users/" + admin.id()).with(TestAccounts.as(admin)))
			.andExpect(jsonPath("$.service_account").value(false))
			.andExpect(jsonPath("$.client_id").doesNotExist());
	}

	@Test
	void updateWhenServiceAccountRenamedOrGivenPasswordThen422AndNothingChanged() throws Exception {
		AuthClient client = clientWithServiceAccount("Renamed robot");
		long id = client.serviceAccountId();
		User before = TestAccounts.find(jdbc, id);
		String hash = passwordHash(id);
		User admin = admin();
		mvc.perform(json(put("/api/1.0/users/" + id), "{\"username\":\"robot-renamed\",\"firstname\":\"Robo\"}")
			.with(TestAccounts.as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.username[0]").value("The username of a service account is set by its "
					+ "client \"" + client.name() + "\"."));
		mvc.perform(json(put("/api/1.0/users/" + id), "{\"password\":\"a-robot-password\"}")
			.with(TestAccounts.as(admin)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.password[0]").value("A service account never signs in, so it has no "
					+ "password."));
		assertThat(TestAccounts.find(jdbc, id)).isEqualTo(before);
		assertThat(passwordHash(id)).isEqualTo(hash);
	}

	@Test
	void updateWhenServiceAccountSentBackUnchangedOrGivenPermissionsThenSaved() throws Exception {
		AuthClient client = clientWithServiceAccount("Granted robot");
		long id = client.serviceAccountId();
		User admin = admin();
		mvc.perform(json(put("/api/1.0/users/" + id),
				"{\"username\":\"svc-" + client.id() + "\",\"firstname\":\"Robo\"}").with(TestAccounts.as(admin)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.firstname").value("Robo"));
		mvc.perform(json(put("/api/1.0/users/" + id + "/permissions"), "{\"permissions\":[\"view-users\"]}")
			.with(TestAccounts.as(admin)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.permissions[0]").value("view-users"));
	}

	@Test
	void deleteWhenServiceAccountThen409NamingTheClientAndAccountKept() throws Exception {
		AuthClient client = clientWithServiceAccount("Kept robot");
		mvc.perform(delete("/api/1.0/users/" + client.serviceAccountId()).with(csrf()).with(TestAccounts.as(admin())))
			.andExpect(status().isConflict())
			.andExpect(header().string("Content-Type", containsString("application/problem+json")))
			.andExpect(jsonPath("$.detail").value("\"svc-" + client.id() + "\" is the service account of the client \""
					+ client.name() + "\". Delete the client instead; that deactivates its service account."));
		assertThat(TestAccounts.find(jdbc, client.serviceAccountId()).active()).isTrue();
	}

	@Test
	void deleteWhenClientDeletedThenServiceAccountInactiveAndStillNotDeletable() throws Exception {
		AuthClient client = clientWithServiceAccount("Gone robot");
		clients.delete(client.id());
		assertThat(TestAccounts.find(jdbc, client.serviceAccountId()).active()).isFalse();
		mvc.perform(delete("/api/1.0/users/" + client.serviceAccountId()).with(csrf()).with(TestAccounts.as(admin())))
			.andExpect(status().isConflict());
		assertThat(jdbc.sql("select count(*) from account where id = :id").param("id", client.serviceAccountId())
			.query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void deleteWhenSelfThen403() throws Exception {
		User admin = admin();
		mvc.perform(delete("/api/1.0/users/" + admin.id()).with(csrf()).with(TestAccounts.as(admin)))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.detail").value("You cannot delete your own account."));
	}

	// bad input

	@Test
	void requestsWhenMalformedOrWrongTypesThen400() throws Exception {
		User admin = admin();
		User target = TestAccounts.user().create(jdbc);
		for (String body : List.of("{", "[1,2]", "{\"username\":{\"a\":1}}", "{\"active\":\"maybe\"}",
				"{\"permissions\":\"view-users\"}")) {
			mvc.perform(json(put("/api/1.0/users/" + target.id()), body).with(TestAccounts.as(admin)))
				.andExpect(status().isBadRequest());
		}
		mvc.perform(json(post("/api/1.0/users"), "not json").with(TestAccounts.as(admin)))
			.andExpect(status().isBadRequest());
		mvc.perform(post("/api/1.0/users").with(csrf()).with(TestAccounts.as(admin)))
			.andExpect(status().is4xxClientError());
		mvc.perform(get("/api/1.0/users/abc").with(TestAccounts.as(admin))).andExpect(status().isBadRequest());
	}

	@Test
	void listWhenFilterHasNulThen422NamingFilterNot500() throws Exception {
		mvc.perform(get("/api/1.0/users").param("filter", "a\u0000b").with(TestAccounts.as(admin())))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.filter[0]").value("The filter field must not contain control characters."));
	}

	@Test
	void requestsWhenUnknownIdThen404() throws Exception {
		User admin = admin();
		mvc.perform(get("/api/1.0/users/999999").with(TestAccounts.as(admin))).andExpect(status().isNotFound());
		mvc.perform(json(put("/api/1.0/users/999999"), "{}").with(TestAccounts.as(admin)))
			.andExpect(status().isNotFound());
		mvc.perform(json(put("/api/1.0/users/999999/permissions"), "{\"permissions\":[]}").with(TestAccounts.as(admin)))
			.andExpect(status().isNotFound());
		mvc.perform(delete("/api/1.0/users/999999").with(csrf()).with(TestAccounts.as(admin)))
			.andExpect(status().isNotFound());
	}

	@Test
	void writeWhenNoCsrfTokenThen403() throws Exception {
		mvc.perform(post("/api/1.0/users").contentType(MediaType.APPLICATION_JSON)
			.content("{\"username\":\"nocsrf\",\"password\":\"secret-password\"}")
			.with(TestAccounts.as(admin()))).andExpect(status().isForbidden());
	}

	@Test
	void permissionsWhenListedThenNamesTitlesCategoriesInOrder() throws Exception {
		User viewer = TestAccounts.user().permissions("view-groups").create(jdbc);
		mvc.perform(get("/api/1.0/permissions").with(TestAccounts.as(viewer)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data.length()").value(14))
			.andExpect(jsonPath("$.data[0].name").value("view-auth_clients"))
			.andExpect(jsonPath("$.data[0].title").value("View Auth Clients"))
			.andExpect(jsonPath("$.data[0].category").value("Auth Clients"))
			.andExpect(jsonPath("$.data[13].name").value("manage-webhooks"))
			.andExpect(jsonPath("$.data[13].category").value("Webhooks"));
	}

	@Test
	void apiDocumentationWhenFetchedThenDescribesAccountEndpoints() throws Exception {
		mvc.perform(get("/api/documentation/openapi.json"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.paths['/api/1.0/users'].post").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/users/{id}/permissions'].put").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/groups/{id}/members'].put").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/permissions'].get").exists());
	}

}
