package io.gatehouse.clients;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.accounts.User;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import static io.gatehouse.signin.Permissions.DELETE_AUTH_CLIENTS;
import static io.gatehouse.signin.Permissions.EDIT_AUTH_CLIENTS;
import static io.gatehouse.signin.Permissions.VIEW_AUTH_CLIENTS;
import static io.gatehouse.support.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@GatehouseIntegrationTest
class AuthClientConsoleIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	User admin;

	@BeforeEach
	void setUp() {
		admin = TestAccounts.user().superAdmin().create(jdbc);
	}

	@Test
	void listWhenViewOnlyThenNoCreateEditOrDeleteControls() throws Exception {
		AuthClient client = newClient();
		Document page = page(get("/admin/auth-clients").param("filter", client.id()),
				TestAccounts.user().permissions(VIEW_AUTH_CLIENTS).create(jdbc));
		assertThat(page.select(".client-name").eachText()).containsExactly(client.name());
		assertThat(page.text()).doesNotContain("Create Auth Client");
		assertThat(page.select("[aria-label=Edit Auth Client]")).isEmpty();
		assertThat(page.select("[aria-label=Delete Auth Client]")).isEmpty();
		assertThat(page.select("[aria-label=Copy Client ID]")).hasSize(1);
	}

	@Test
	void listWhenViewAndEditThenEditShownButNotDeleteOrCreate() throws Exception {
		AuthClient client = newClient();
		Document page = page(get("/admin/auth-clients").param("filter", client.id()),
				TestAccounts.user().permissions(VIEW_AUTH_CLIENTS, EDIT_AUTH_CLIENTS).create(jdbc));
		assertThat(page.select("[aria-label=Edit Auth Client]")).hasSize(1);
		assertThat(page.select("[aria-label=Delete Auth Client]")).isEmpty();
		assertThat(page.select("#create-auth-client")).isEmpty();
	}

	@Test
	void listWhenAllPermissionsThenEveryControlAndDeleteConfirmationNamesClient() throws Exception {
		AuthClient client = newClient();
		Document page = page(get("/admin/auth-clients").param("filter", client.name()), admin);
		assertThat(page.select("#create-auth-client").text()).isEqualTo("Create Auth Client");
		assertThat(page.select("[aria-label=Edit Auth Client]")).hasSize(1);
		assertThat(page.select("form[data-confirm]").attr("data-confirm")).contains(client.name());
		assertThat(page.select("td.redirects").text()).isEqualTo("https://app.example.com/cb");
	}

	@Test
	void createWhenInvalidThenErrorsBesideFieldsAndValuesKept() throws Exception {
		Document page = page(post("/admin/auth-clients").param("name", "").param("authorizationCode", "true")
			.param("redirect", "http://evil.example/cb"), admin, 422);
		assertThat(page.select("#name-errors").text()).isEqualTo("The Name field is required.");
		assertThat(page.select("#redirect-errors").text()).contains("https");
		assertThat(page.select("textarea#redirect").text()).isEqualTo("http://evil.example/cb");
		assertThat(page.select("input#authorizationCode1").hasAttr("checked")).isTrue();

		page = page(post("/admin/auth-clients").param("name", "Kept name"), admin, 422);
		assertThat(page.select("#types-errors").text()).isEqualTo("The Auth-Client must have at least 1 item chosen.");
		assertThat(page.select("input#name").val()).isEqualTo("Kept name");

		page = page(post("/admin/auth-clients").param("name", "Needs redirect").param("authorizationCode", "true"),
				admin, 422);
		assertThat(page.select("#redirect-errors").text()).isEqualTo("The Redirect field is required.");
	}

	@Test
	void listWhenFilterHasNulThenListWithoutFilterNot500() throws Exception {
		Document page = page(get("/admin/auth-clients").param("filter", "a\u0000b"), admin);

		assertThat(page.select("input[name=filter]").val()).isEmpty();
	}

	@Test
	void createWhenNameHasZeroWidthCharacterThenErrorBesideNameAndNothingWritten() throws Exception {
		String name = "Pay\u200broll " + UUID.randomUUID();

		Document page = page(post("/admin/auth-clients").param("name", name).param("passwordGrant", "true"), admin,
				422);

		assertThat(page.select("#name-errors").text()).isEqualTo("The Name must not contain control characters.");
		assertThat(jdbc.sql("select count(*) from auth_client where name = :name").param("name", name)
			.query(Long.class).single()).isZero();
	}

	@Test
	void createWhenValidThenSecretShownOnceWithWarningAndNeverAgain() throws Exception {
		String name = "Console " + UUID.randomUUID();
		var result = mvc.perform(post("/admin/auth-clients").param("name", name).param("passwordGrant", "true")
			.with(as(admin)).with(csrf())).andExpect(status().isOk()).andReturn();
		assertThat(result.getResponse().getHeader("Cache-Control")).contains("no-store");
		Document page = Jsoup.parse(result.getResponse().getContentAsString());
		String secret = page.select("#client-secret").text();
		String id = page.select("#client-id").text();
		assertThat(page.select("[role=status]").text()).isEqualTo("The auth client was created.");
		assertThat(page.select("#secret-warning").text()).contains("will not be shown again");
		assertThat(clients.secretMatches(id, secret)).isTrue();

		Document edit = page(get("/admin/auth-clients/{id}/edit", id), admin);
		assertThat(edit.html()).doesNotContain(secret);
		Document list = page(get("/admin/auth-clients").param("filter", name), admin);
		assertThat(list.html()).doesNotContain(secret);
	}

	@Test
	void editThenFormPrefilledWithHistory() throws Exception {
		AuthClient client = newClient();
		Document page = page(get("/admin/auth-clients/{id}/edit", client.id()), admin);
		assertThat(page.select("h1").text()).isEqualTo("Edit Auth Client");
		assertThat(page.select("input#name").val()).isEqualTo(client.name());
		assertThat(page.select("input#authorizationCode1").hasAttr("checked")).isTrue();
		assertThat(page.select("input#passwordGrant1").hasAttr("checked")).isFalse();
		assertThat(page.select("textarea#redirect").text()).isEqualTo("https://app.example.com/cb");
		assertThat(page.select("input[name=version]").val()).isEqualTo("1");
		assertThat(page.select("#history tbody tr").text()).contains("created", "name", client.name());
	}

	@Test
	void saveWhenValidThenRedirectWithFlashAndHistoryShowsChange() throws Exception {
		AuthClient client = newClient();
		String newName = client.name() + " renamed";
		mvc.perform(post("/admin/auth-clients/{id}", client.id()).param("name", newName)
			.param("authorizationCode", "true").param("redirect", "https://app.example.com/cb\r\nhttps://b.example/cb")
			.param("version", "1").with(as(admin)).with(csrf()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/admin/auth-clients"))
			.andExpect(flash().attribute("flash", "The auth client was saved."));
		AuthClient saved = clients.get(client.id());
		assertThat(saved.name()).isEqualTo(newName);
		assertThat(saved.redirectUris()).containsExactly("https://app.example.com/cb", "https://b.example/cb");
		Document page = page(get("/admin/auth-clients/{id}/edit", client.id()), admin);
		assertThat(page.select("#history tbody tr").first().text()).contains("updated", admin.username(),
				client.name(), "→", newName);
	}

	@Test
	void createWhenMayIntrospectOthersCheckedThenStoredShownOnEditAndInHistory() throws Exception {
		Document form = page(get("/admin/auth-clients/new"), admin);
		assertThat(form.select("label[for=introspectOthers1]").text())
			.isEqualTo("May introspect tokens of other clients");
		assertThat(form.select("input#introspectOthers1").hasAttr("checked")).isFalse();

		String name = "Gateway " + UUID.randomUUID();
		Document created = page(post("/admin/auth-clients").param("name", name).param("clientCredentials", "true")
			.param("introspectOthers", "true"), admin);
		String id = created.select("#client-id").text();
		assertThat(clients.get(id).introspectOthers()).isTrue();

		Document edit = page(get("/admin/auth-clients/{id}/edit", id), admin);
		assertThat(edit.select("input#introspectOthers1").hasAttr("checked")).isTrue();
		assertThat(edit.select("#history tbody tr").text()).contains("introspect_others", "true");

		mvc.perform(post("/admin/auth-clients/{id}", id).param("name", name).param("clientCredentials", "true")
			.param("version", "1").with(as(admin)).with(csrf()))
			.andExpect(status().isFound());
		assertThat(clients.get(id).introspectOthers()).isFalse();
		assertThat(page(get("/admin/auth-clients/{id}/edit", id), admin).select("#history tbody tr").first().text())
			.contains("updated", "introspect_others", "true", "→", "false");
	}

	@Test
	void createWhenDeviceGrantCheckedThenStoredShownOnEditAndInHistory() throws Exception {
		Document form = page(get("/admin/auth-clients/new"), admin);
		assertThat(form.select("label[for=deviceCode1]").text()).isEqualTo("Enable Device Authorization Grant");
		assertThat(form.select("input#deviceCode1").hasAttr("checked")).isFalse();

		String name = "TV " + UUID.randomUUID();
		Document created = page(post("/admin/auth-clients").param("name", name).param("deviceCode", "true"), admin);
		String id = created.select("#client-id").text();
		assertThat(clients.get(id).allows(GrantType.DEVICE_CODE)).isTrue();
		Document edit = page(get("/admin/auth-clients/{id}/edit", id), admin);
		assertThat(edit.select("input#deviceCode1").hasAttr("checked")).isTrue();
	}

	@Test
	void createWhenRequireParCheckedThenStoredShownOnEditAndInHistory() throws Exception {
		Document form = page(get("/admin/auth-clients/new"), admin);
		assertThat(form.select("label[for=requirePar1]").text()).isEqualTo("Require pushed authorization requests");
		assertThat(form.select("input#requirePar1").hasAttr("checked")).isFalse();

		String name = "PAR web " + UUID.randomUUID();
		Document created = page(post("/admin/auth-clients").param("name", name).param("authorizationCode", "true")
			.param("redirect", "https://app.example/cb").param("requirePar", "true"), admin);
		String id = created.select("#client-id").text();
		assertThat(clients.get(id).requirePar()).isTrue();

		Document edit = page(get("/admin/auth-clients/{id}/edit", id), admin);
		assertThat(edit.select("input#requirePar1").hasAttr("checked")).isTrue();
		assertThat(edit.select("#history tbody tr").text()).contains("require_par", "true");

		mvc.perform(post("/admin/auth-clients/{id}", id).param("name", name).param("authorizationCode", "true")
			.param("redirect", "https://app.example/cb").param("version", "1").with(as(admin)).with(csrf()))
			.andExpect(status().isFound());
		assertThat(clients.get(id).requirePar()).isFalse();
	}

	@Test
	void createWhenRequireDpopCheckedThenStoredShownOnEditAndInHistory() throws Exception {
		Document form = page(get("/admin/auth-clients/new"), admin);
		assertThat(form.select("label[for=requireDpop1]").text()).isEqualTo("Require DPoP");
		assertThat(form.select("input#requireDpop1").hasAttr("checked")).isFalse();

		String name = "DPoP batch " + UUID.randomUUID();
		Document created = page(post("/admin/auth-clients").param("name", name).param("clientCredentials", "true")
			.param("requireDpop", "true"), admin);
		String id = created.select("#client-id").text();
		assertThat(clients.get(id).requireDpop()).isTrue();

		Document edit = page(get("/admin/auth-clients/{id}/edit", id), admin);
		assertThat(edit.select("input#requireDpop1").hasAttr("checked")).isTrue();
		assertThat(edit.select("#history tbody tr").text()).contains("require_dpop", "true");

		mvc.perform(post("/admin/auth-clients/{id}", id).param("name", name).param("clientCredentials", "true")
			.param("version", "1").with(as(admin)).with(csrf()))
			.andExpect(status().isFound());
		assertThat(clients.get(id).requireDpop()).isFalse();
	}

	@Test
	void createWhenPostLogoutRedirectEnteredThenStoredAndShownOnEdit() throws Exception {
		Document form = page(get("/admin/auth-clients/new"), admin);
		assertThat(form.select("label[for=postLogoutRedirect]").text()).isEqualTo("Post-logout redirect URL");
		String name = "OIDC web " + UUID.randomUUID();
		Document created = page(post("/admin/auth-clients").param("name", name).param("authorizationCode", "true")
			.param("redirect", "https://app.example/cb")
			.param("postLogoutRedirect", "https://app.example/bye\r\n\r\nhttps://app.example/bye2"), admin);
		String id = created.select("#client-id").text();
		assertThat(clients.get(id).postLogoutRedirectUris())
			.containsExactly("https://app.example/bye", "https://app.example/bye2");
		assertThat(clients.get(id).revokeTokensOnLogout()).isFalse();
		assertThat(form.select("label[for=revokeTokensOnLogout1]").text()).isEqualTo("Revoke tokens on logout");
		Document edit = page(get("/admin/auth-clients/{id}/edit", id), admin);
		assertThat(edit.select("textarea#postLogoutRedirect").text())
			.contains("https://app.example/bye", "https://app.example/bye2");
	}

	@Test
	void createWhenPostLogoutRedirectHostileThenErrorBesideFieldAndNothingWritten() throws Exception {
		String name = "OIDC hostile " + UUID.randomUUID();
		Document page = page(post("/admin/auth-clients").param("name", name).param("authorizationCode", "true")
			.param("redirect", "https://app.example/cb").param("postLogoutRedirect", "http://app.example/bye"),
				admin, 422);
		assertThat(page.select("#post-logout-redirect-errors").text()).isNotBlank();
		assertThat(jdbc.sql("select count(*) from auth_client where name = :name").param("name", name)
			.query(Long.class).single()).isZero();
	}

	@Test
	void createWhenRequireParWithoutCodeGrantThenErrorBesideCheckbox() throws Exception {
		String name = "PAR batch " + UUID.randomUUID();
		Document page = page(post("/admin/auth-clients").param("name", name).param("passwordGrant", "true")
			.param("requirePar", "true"), admin, 422);
		assertThat(page.select("#require-par-errors").text()).contains("authorization code");
		assertThat(page.select("input#requirePar1").hasAttr("checked")).isTrue();
		assertThat(jdbc.sql("select count(*) from auth_client where name = :name").param("name", name)
			.query(Long.class).single()).isZero();
	}

	@Test
	void createWhenPublicClientMayIntrospectOthersThenErrorBesideCheckbox() throws Exception {
		String name = "SPA " + UUID.randomUUID();
		Document page = page(post("/admin/auth-clients").param("name", name).param("authorizationCode", "true")
			.param("redirect", "https://spa.example/cb").param("publicClient", "true")
			.param("introspectOthers", "true"), admin, 422);
		assertThat(page.select("#introspect-others-errors").text()).contains("public client");
		assertThat(page.select("input#introspectOthers1").hasAttr("checked")).isTrue();
		assertThat(jdbc.sql("select count(*) from auth_client where name = :name").param("name", name)
			.query(Long.class).single()).isZero();
	}

	@Test
	void saveWhenSomeoneElseSavedFirstThenRefusedWithCurrentValuesAndYours() throws Exception {
		AuthClient client = newClient();
		clients.update(client.id(), 1, new AuthClientDraft(client.name() + " by Alice", client.grants(),
				client.redirectUris()));
		Document page = page(post("/admin/auth-clients/{id}", client.id()).param("name", "Bob's name")
			.param("passwordGrant", "true").param("version", "1"), admin, 409);
		assertThat(page.select("#conflict").text()).contains("Someone else changed this auth client",
				"Your Name", "Bob's name");
		assertThat(page.select("input#name").val()).isEqualTo(client.name() + " by Alice");
		assertThat(page.select("input[name=version]").val()).isEqualTo("2");
		assertThat(clients.get(client.id()).name()).isEqualTo(client.name() + " by Alice");
	}

	@Test
	void regenerateSecretThenNewSecretShownOnceOldStopsWorking() throws Exception {
		var issued = clients.create(new AuthClientDraft("Regen " + UUID.randomUUID(), Set.of(GrantType.PASSWORD),
				List.of()));
		Document page = page(post("/admin/auth-clients/{id}/secret", issued.client().id()), admin);
		String secret = page.select("#client-secret").text();
		assertThat(secret).isNotEqualTo(issued.secret());
		assertThat(clients.secretMatches(issued.client().id(), secret)).isTrue();
		assertThat(clients.secretMatches(issued.client().id(), issued.secret())).isFalse();
	}

	@Test
	void deleteThenGoneFromListWithFlash() throws Exception {
		AuthClient client = newClient();
		mvc.perform(post("/admin/auth-clients/{id}/delete", client.id()).with(as(admin)).with(csrf()))
			.andExpect(redirectedUrl("/admin/auth-clients"))
			.andExpect(flash().attribute("flash", "The auth client was deleted."));
		Document list = page(get("/admin/auth-clients").param("filter", client.id()), admin);
		assertThat(list.select(".client-name")).isEmpty();
		mvc.perform(get("/admin/auth-clients/{id}/edit", client.id()).with(as(admin))).andExpect(status().isNotFound());
	}

	@Test
	void listWhenBadPagingParametersThenStillRendersFirstPage() throws Exception {
		Document page = page(get("/admin/auth-clients").param("page", "-3").param("order_by", "drop table"), admin);
		assertThat(page.select("h1").text()).isEqualTo("Auth Clients");
	}

	@Test
	void editWhenUnknownIdThen404Page() throws Exception {
		mvc.perform(get("/admin/auth-clients/{id}/edit", "nope").with(as(admin))).andExpect(status().isNotFound());
	}

	@Test
	void deleteWhenOnlyDeletePermissionWithoutViewThen403AndClientKept() throws Exception {
		AuthClient client = newClient();
		User deleter = TestAccounts.user().permissions(DELETE_AUTH_CLIENTS).create(jdbc);
		mvc.perform(post("/admin/auth-clients/{id}/delete", client.id()).with(as(deleter))
			.with(csrf())).andExpect(status().isForbidden());
		assertThat(clients.get(client.id()).revoked()).isFalse();
	}

	private AuthClient newClient() {
		return clients.create(new AuthClientDraft("Console client " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of("https://app.example.com/cb"))).client();
	}

	private Document page(org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request,
			User user) throws Exception {
		return page(request, user, 200);
	}

	private Document page(org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request,
			User user, int expectedStatus) throws Exception {
		var response = mvc.perform(request.with(as(user)).with(csrf())).andReturn().getResponse();
		assertThat(response.getStatus()).isEqualTo(expectedStatus);
		return Jsoup.parse(response.getContentAsString());
	}

}
