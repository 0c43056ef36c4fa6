package io.gatehouse.dashboard;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.signin.Permissions;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import io.gatehouse.usage.TokenUsage;
import io.gatehouse.usage.UsageGrantType;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import static io.gatehouse.support.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The home page shows each tile only to a user who may see what it counts, decided on the server: the figures are
 * not even in the page otherwise. Everyone keeps the links to their profile and the API documentation.
 */
@GatehouseIntegrationTest
class DashboardIntegrationTests {

	private static final List<String> CLIENT_TILES = List.of("#tile-clients", "#tile-active-tokens", "#usage-24h",
			"#usage-30d", "#top-clients");

	private static final List<String> AUDIT_TILES = List.of("#tile-sign-ins", "#tile-signing-key");

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	@Autowired
	TokenUsage usage;

	private Document home(String... permissions) throws Exception {
		User user = TestAccounts.user().username("dash-" + UUID.randomUUID()).permissions(permissions).create(jdbc);
		String html = mvc.perform(get("/").with(as(user))).andReturn().getResponse().getContentAsString();
		return Jsoup.parse(html);
	}

	private static void assertShown(Document page, List<String> selectors, boolean shown) {
		for (String selector : selectors) {
			assertThat(page.select(selector)).as(selector).hasSize(shown ? 1 : 0);
		}
	}

	@Test
	void homeWhenNoPermissionsThenNoTilesButTheProfileAndApiLinks() throws Exception {
		Document page = home();
		assertShown(page, CLIENT_TILES, false);
		assertShown(page, AUDIT_TILES, false);
		assertShown(page, List.of("#tile-users"), false);
		assertThat(page.select("#links a").eachAttr("href")).containsExactly("/profile", "/api/documentation");
		assertThat(page.select("svg")).isEmpty();
	}

	@Test
	void homeWhenViewClientsOnlyThenClientTilesAndChartsOnly() throws Exception {
		Document page = home(Permissions.VIEW_AUTH_CLIENTS);
		assertShown(page, CLIENT_TILES, true);
		assertShown(page, AUDIT_TILES, false);
		assertShown(page, List.of("#tile-users"), false);
		assertThat(page.select("#usage-24h .usage-bar")).hasSize(24);
		assertThat(page.select("#usage-30d .usage-bar")).hasSize(30);
	}

	@Test
	void homeWhenViewUsersOnlyThenTheUserCountOnly() throws Exception {
		Document page = home(Permissions.VIEW_USERS);
		assertShown(page, List.of("#tile-users"), true);
		assertShown(page, CLIENT_TILES, false);
		assertShown(page, AUDIT_TILES, false);
		long people = jdbc.sql("select count(*) from account where service_account = false").query(Long.class)
			.single();
		assertThat(page.select("#tile-users .tile-value").text()).isEqualTo(Long.toString(people));
	}

	@Test
	void homeWhenViewAuditOnlyThenSignInFailuresAndTheSigningKeyOnly() throws Exception {
		Document page = home(Permissions.VIEW_AUDIT);
		assertShown(page, AUDIT_TILES, true);
		assertShown(page, CLIENT_TILES, false);
		assertShown(page, List.of("#tile-users"), false);
		assertThat(page.select("#tile-signing-key").text()).contains("old", "next rotation in");
	}

	@Test
	void homeWhenFailedSignInsThenCountedInTheTile() throws Exception {
		long before = Long.parseLong(home(Permissions.VIEW_AUDIT).select("#tile-sign-ins .tile-value").text());
		User victim = TestAccounts.user().username("victim-" + UUID.randomUUID()).create(jdbc);
		for (int i = 0; i < 2; i++) {
			mvc.perform(post("/login").param("username", victim.username()).param("password", "wrong password")
				.with(csrf()));
		}
		long after = Long.parseLong(home(Permissions.VIEW_AUDIT).select("#tile-sign-ins .tile-value").text());
		assertThat(after - before).isGreaterThanOrEqualTo(2);
	}

	@Test
	void homeWhenAClientIssuedTheMostTokensThenItLeadsTheTopClientsAndTheChartsCountThem() throws Exception {
		String name = "Busiest " + UUID.randomUUID();
		String id = clients.create(new AuthClientDraft(name, Set.of(GrantType.CLIENT_CREDENTIALS), List.of()))
			.client().id();
		for (int i = 0; i < 1_000_000; i++) {
			usage.record(id, UsageGrantType.CLIENT_CREDENTIALS);
		}
		usage.flush();

		Document page = home(Permissions.VIEW_AUTH_CLIENTS);
		assertThat(page.select(".top-client").first().text()).contains(name, "1000000");
		assertThat(page.select(".top-client a").first().attr("href")).isEqualTo("/admin/auth-clients/" + id + "/edit");
		assertThat(Long.parseLong(page.select("#issued-24h").text())).isGreaterThanOrEqualTo(1_000_000);
		assertThat(Long.parseLong(page.select("#usage-30d").attr("data-total"))).isGreaterThanOrEqualTo(1_000_000);

		User editor = TestAccounts.user().username("editor-" + UUID.randomUUID())
			.permissions(Permissions.VIEW_AUTH_CLIENTS, Permissions.EDIT_AUTH_CLIENTS).create(jdbc);
		Document edit = Jsoup.parse(mvc.perform(get("/admin/auth-clients/" + id + "/edit").with(as(editor)))
			.andReturn().getResponse().getContentAsString());
		assertThat(edit.select("#usage-total").text()).isEqualTo("1000000");
		assertThat(edit.select("#client-usage").attr("data-total")).isEqualTo("1000000");
		assertThat(edit.select("#last-used").text()).isEqualTo("never");
	}

}
