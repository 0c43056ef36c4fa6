package io.gatehouse.personaltokens;

import java.util.List;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.TestAuthClients;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static io.gatehouse.support.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@GatehouseIntegrationTest
class PersonalAccessTokenConsoleIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PersonalAccessTokenService tokens;

	User user;

	@BeforeEach
	void setUp() {
		user = TestAccounts.user().create(jdbc);
	}

	@Test
	void profileWhenSignedInThenLinksToApiTokens() throws Exception {
		Document profile = page(get("/profile"), user, 200);
		assertThat(profile.select("a#api-tokens").attr("href")).isEqualTo("/profile/tokens");
		assertThat(profile.select("nav a[href=/profile/tokens]").text()).isEqualTo("API Tokens");
	}

	@Test
	void listWhenNoTokensThenEmptyMessageAndFormWithDefaults() throws Exception {
		String pat = TestAuthClients.client().name("Zz PAT " + user.id()).create(jdbc);
		String notPat = TestAuthClients.client().withoutPersonalAccess().create(jdbc);
		Document page = page(get("/profile/tokens"), user, 200);
		assertThat(page.select("h1").text()).isEqualTo("API Tokens");
		assertThat(page.select("#no-tokens")).hasSize(1);
		assertThat(page.select("select#client_id option[selected]").val()).isEqualTo("personal-access-client");
		assertThat(page.select("select#client_id option").eachAttr("value")).contains("personal-access-client", pat)
			.doesNotContain(notPat);
		assertThat(page.select("input[name=scopes][value=api]").hasAttr("checked")).isTrue();
		assertThat(page.select("select#expires_in_days option").eachAttr("value")).containsExactly("30", "90", "365");
		assertThat(page.select("select#expires_in_days option[selected]").val()).isEqualTo("90");
	}

	@Test
	void createWhenValidThenValueShownOnceNoStoreWithWarningAndNeverAgain() throws Exception {
		MvcResult result = mvc.perform(post("/profile/tokens").param("name", "Laptop script")
			.param("client_id", "personal-access-client").param("scopes", "api").param("expires_in_days", "30")
			.with(as(user)).with(csrf())).andExpect(status().isOk()).andExpect(flash().attributeCount(0)).andReturn();
		assertThat(result.getResponse().getHeader("Cache-Control")).contains("no-store");
		if (result.getRequest().getSession(false) != null) {
			var session = result.getRequest().getSession(false);
			java.util.Collections.list(session.getAttributeNames())
				.forEach(name -> assertThat(String.valueOf(session.getAttribute(name))).doesNotContain("gtpat_"));
		}
		Document created = Jsoup.parse(result.getResponse().getContentAsString());
		String value = created.select("#token-value").text();
		assertThat(value).startsWith("gtpat_");
		assertThat(created.select("#token-warning").text()).contains("will not be shown again");
		assertThat(created.select("button[data-copy=token-value]").text()).isEqualTo("Copy Token");
		assertThat(tokens.authenticate(value)).isPresent();

		Document list = page(get("/profile/tokens"), user, 200);
		assertThat(list.html()).doesNotContain(value);
		assertThat(list.select(".token-name").eachText()).containsExactly("Laptop script");
		assertThat(list.select(".token-client").text()).isEqualTo("Personal Access Client");
		assertThat(list.select(".token-scopes").text()).isEqualTo("api");
		assertThat(list.select(".token-last-used").text()).isNotEqualTo("Never");
		assertThat(list.select(".token-status").text()).isEqualTo("Active");
	}

	@Test
	void createWhenInvalidThen422ErrorsBesideFieldsAndValuesKept() throws Exception {
		Document page = page(post("/profile/tokens").param("name", "  ").param("client_id", "personal-access-client")
			.param("expires_in_days", "90"), user, 422);
		assertThat(page.select("#name-errors").text()).isEqualTo("The Name field is required.");
		assertThat(page.select("#scopes-errors").text()).isEqualTo("The Scopes field is required.");
		assertThat(page.select("input[name=scopes][value=api]").hasAttr("checked")).isFalse();

		String notPat = TestAuthClients.client().withoutPersonalAccess().create(jdbc);
		page = page(post("/profile/tokens").param("name", "Kept").param("client_id", notPat).param("scopes", "api")
			.param("expires_in_days", "forever"), user, 422);
		assertThat(page.select("input#name").val()).isEqualTo("Kept");
		assertThat(page.select("#client_id-errors").text()).contains("does not allow personal access tokens");
		assertThat(page.select("#expires_in_days-errors").text()).contains("between 1 and 365");
		assertThat(tokens.list(user.id(), new io.gatehouse.api.PageQuery(1, 10, "", "created_at", true)).total())
			.isZero();
	}

	@Test
	void createWhenNameHasBidiOverrideThen422ErrorBesideName() throws Exception {
		Document page = page(post("/profile/tokens").param("name", "deploy\u202egpj.exe")
			.param("client_id", "personal-access-client").param("scopes", "api").param("expires_in_days", "90"), user,
					422);

		assertThat(page.select("#name-errors").text()).isEqualTo("The Name must not contain control characters.");
		assertThat(tokens.list(user.id(), new io.gatehouse.api.PageQuery(1, 10, "", "created_at", true)).total())
			.isZero();
	}

	@Test
	void revokeWhenConfirmedThenTokenStopsWorkingAndListShowsRevoked() throws Exception {
		var issued = tokens.create(user.id(), new PersonalAccessTokenDraft("Old script", List.of("api"), null, null));
		Document list = page(get("/profile/tokens"), user, 200);
		assertThat(list.select("form[data-confirm]").attr("data-confirm")).contains("Old script");
		assertThat(list.select("form[data-confirm]").attr("action"))
			.isEqualTo("/profile/tokens/" + issued.token().id() + "/revoke");

		mvc.perform(post("/profile/tokens/{id}/revoke", issued.token().id()).with(as(user)).with(csrf()))
			.andExpect(status().is3xxRedirection())
			.andExpect(redirectedUrl("/profile/tokens"))
			.andExpect(flash().attribute("flash", "The token “Old script” was revoked. It no longer works."));
		assertThat(tokens.authenticate(issued.value())).isEmpty();
		list = page(get("/profile/tokens"), user, 200);
		assertThat(list.select(".token-status").text()).isEqualTo("Revoked");
		assertThat(list.select("form[data-confirm]")).isEmpty();
	}

	@Test
	void revokeWhenSomeoneElsesTokenThen404AndTokenStillWorks() throws Exception {
		User other = TestAccounts.user().superAdmin().create(jdbc);
		var issued = tokens.create(other.id(), new PersonalAccessTokenDraft("Theirs", List.of("api"), null, null));
		mvc.perform(post("/profile/tokens/{id}/revoke", issued.token().id()).with(as(user)).with(csrf()))
			.andExpect(status().isNotFound());
		assertThat(tokens.authenticate(issued.value())).isPresent();
		Document list = page(get("/profile/tokens"), user, 200);
		assertThat(list.select(".token-name")).isEmpty();
	}

	@Test
	void pageWhenNotSignedInThenRedirectedToLogin() throws Exception {
		mvc.perform(get("/profile/tokens")).andExpect(status().is3xxRedirection())
			.andExpect(redirectedUrl("/login"));
	}

	private Document page(MockHttpServletRequestBuilder request, User actor, int status) throws Exception {
		MvcResult result = mvc.perform(request.with(as(actor)).with(csrf())).andExpect(status().is(status)).andReturn();
		return Jsoup.parse(result.getResponse().getContentAsString());
	}

}
