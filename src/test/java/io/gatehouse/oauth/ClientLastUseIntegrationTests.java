package io.gatehouse.oauth;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import static io.gatehouse.support.OAuthRequests.basic;
import static io.gatehouse.support.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** A client's last use: the last token issued to it, recorded at most once a minute, shown and sorted in the list. */
@GatehouseIntegrationTest
class ClientLastUseIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	User admin;

	String prefix = "Last use " + UUID.randomUUID();

	@BeforeEach
	void setUp() {
		admin = TestAccounts.user().superAdmin().create(jdbc);
	}

	@Test
	void tokenWhenIssuedThenLastUseRecordedAndShownInApi() throws Exception {
		IssuedSecret client = service(prefix + " a");
		mvc.perform(get("/api/1.0/auth-clients/{id}", client.client().id()).with(as(admin)))
			.andExpect(jsonPath("$.last_used_at").value(org.hamcrest.Matchers.nullValue()));

		token(client);

		OffsetDateTime recorded = lastUsed(client);
		assertThat(recorded).isCloseTo(OffsetDateTime.now(ZoneOffset.UTC), org.assertj.core.api.Assertions.within(
				30, ChronoUnit.SECONDS));
		mvc.perform(get("/api/1.0/auth-clients/{id}", client.client().id()).with(as(admin)))
			.andExpect(jsonPath("$.last_used_at").isString());
	}

	@Test
	void tokenWhenIssuedAgainWithinTheMinuteThenNoWrite() throws Exception {
		IssuedSecret client = service(prefix + " b");
		token(client);
		OffsetDateTime earlier = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
		jdbc.sql("update auth_client set last_used_at = :t where id = :id").param("t", earlier)
			.param("id", client.client().id()).update();

		token(client);
		token(client);

		assertThat(lastUsed(client).toInstant()).isEqualTo(earlier.toInstant());
	}

	@Test
	void listWhenSortedByLastUseThenNeverUsedFirstAndShownAsNever() throws Exception {
		IssuedSecret used = service(prefix + " used");
		IssuedSecret unused = service(prefix + " unused");
		token(used);

		Document page = Jsoup.parse(mvc.perform(get("/admin/auth-clients").with(as(admin))
			.param("filter", prefix).param("order_by", "last_used_at").param("order_direction", "asc"))
			.andExpect(status().isOk()).andReturn().getResponse().getContentAsString());

		assertThat(page.select(".client-name").eachText()).containsExactly(unused.client().name(),
				used.client().name());
		assertThat(page.select(".client-last-used").eachText().get(0)).isEqualTo("never");
		assertThat(page.select(".client-last-used").eachText().get(1)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d");
		mvc.perform(get("/api/1.0/auth-clients").with(as(admin)).param("filter", prefix)
			.param("order_by", "last_used_at").param("order_direction", "desc"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data[0].id").value(used.client().id()))
			.andExpect(jsonPath("$.data[1].last_used_at").value(org.hamcrest.Matchers.nullValue()));
	}

	private IssuedSecret service(String name) {
		return clients.create(new AuthClientDraft(name, Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
	}

	private void token(IssuedSecret client) throws Exception {
		mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "client_credentials"))
			.andExpect(status().isOk());
	}

	private OffsetDateTime lastUsed(IssuedSecret client) {
		return jdbc.sql("select last_used_at from auth_client where id = :id").param("id", client.client().id())
			.query((rs, row) -> rs.getObject(1, OffsetDateTime.class)).single();
	}

}
