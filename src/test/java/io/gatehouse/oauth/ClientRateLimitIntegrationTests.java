package io.gatehouse.oauth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.ClientPolicy;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.support.AtOnce;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

import static io.gatehouse.support.OAuthRequests.basic;
import static io.gatehouse.support.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** A client's token-endpoint rate limit: set in the API and the console, enforced per node with a token bucket. */
@GatehouseIntegrationTest
class ClientRateLimitIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Autowired
	AuthClientService clients;

	@Autowired
	MeterRegistry registry;

	User admin;

	@BeforeEach
	void setUp() {
		admin = TestAccounts.user().superAdmin().create(jdbc);
	}

	@Test
	void createWhenRateLimitGivenThenShownAndWhenInvalidThen422NamingIt() throws Exception {
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("name", "Limited " + UUID.randomUUID(), "types",
					List.of("client_credentials"), "rate_limit", Map.of("per_second", 5, "burst", 20)))))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.rate_limit.per_second").value(5))
			.andExpect(jsonPath("$.rate_limit.burst").value(20));
		String name = "Bad limit " + UUID.randomUUID();
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("name", name, "types", List.of("client_credentials"),
					"rate_limit", Map.of("per_second", 10, "burst", 2)))))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.rate_limit[0]").exists());
		mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf()).contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(Map.of("name", name, "types", List.of("client_credentials"),
					"rate_limit", Map.of("per_second", 10, "burst", 20, "per_minute", 1)))))
			.andExpect(status().isBadRequest());
		assertThat(jdbc.sql("select count(*) from auth_client where name = :n").param("n", name).query(Long.class)
			.single()).isZero();
	}

	@Test
	void tokenWhenOverClientsLimitThen429WithRetryAfterCountedAndOtherClientsUnaffected() throws Exception {
		long start = System.nanoTime();
		IssuedSecret limited = limitedClient(1, 3);
		IssuedSecret other = limitedClient(1, 3);
		double before = registry.get("gatehouse.rate_limited").tag("kind", "client").counter().count();
		int through = 0;
		MockHttpServletResponse refused = token(limited);
		while (refused.getStatus() == 200 && through < 50) {
			through++;
			refused = token(limited);
		}

		// the burst, and the refill (one a second) while the requests ran on a machine that may be busy
		assertThat(through).isBetween(3, 3 + refilledSince(start));
		assertThat(refused.getStatus()).isEqualTo(429);
		assertThat(Long.parseLong(refused.getHeader("Retry-After"))).isBetween(1L, 2L);
		assertThat(refused.getContentAsString()).contains("\"error\":\"temporarily_unavailable\"");
		assertThat(token(other).getStatus()).isEqualTo(200);
		assertThat(registry.get("gatehouse.rate_limited").tag("kind", "client").counter().count() - before)
			.isEqualTo(1);
	}

	@Test
	void tokenWhenLimitRaisedThenNextRequestFollowsTheNewLimit() throws Exception {
		IssuedSecret limited = limitedClient(1, 1);
		assertThat(token(limited).getStatus()).isEqualTo(200);
		assertThat(token(limited).getStatus()).isEqualTo(429);

		Map<String, Object> body = new HashMap<>(Map.of("name", limited.client().name(), "types",
				List.of("client_credentials"), "rate_limit", Map.of("per_second", 100, "burst", 100)));
		mvc.perform(put("/api/1.0/auth-clients/{id}", limited.client().id()).with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(body)))
			.andExpect(status().isOk());

		assertThat(token(limited).getStatus()).isEqualTo(200);
	}

	@Test
	void tokenWhenTwentyRequestsAtOnceThenOnlyTheBurstGetsThrough() throws Exception {
		long start = System.nanoTime();
		IssuedSecret limited = limitedClient(1, 5);
		List<Integer> statuses = AtOnce.run(20, () -> token(limited).getStatus());
		long through = statuses.stream().filter(status -> status == 200).count();
		// the burst, and the refill (one a second) while the twenty ran
		assertThat(through).as("%s", statuses).isBetween(5L, 5L + refilledSince(start));
		assertThat(statuses.stream().filter(status -> status == 429).count()).isEqualTo(20 - through);
	}

	@Test
	void consoleWhenRateLimitEnteredThenSaved() throws Exception {
		String name = "Console limited " + UUID.randomUUID();
		mvc.perform(post("/admin/auth-clients").with(as(admin)).with(csrf()).param("name", name)
			.param(GrantType.CLIENT_CREDENTIALS.formField(), "true").param("rateLimitPerSecond", "7")
			.param("rateLimitBurst", ""))
			.andExpect(status().isOk());
		String id = jdbc.sql("select id from auth_client where name = :n").param("n", name).query(String.class)
			.single();
		assertThat(clients.get(id).policy().rateLimit()).isEqualTo(new ClientPolicy.RateLimit(7, 7));
	}

	/** The most tokens a bucket of one a second can have refilled since {@code start}. */
	private static int refilledSince(long start) {
		return (int) Math.ceil((System.nanoTime() - start) / 1e9);
	}

	private IssuedSecret limitedClient(int perSecond, int burst) {
		return clients.create(new AuthClientDraft("Limited " + UUID.randomUUID(), Set.of(GrantType.CLIENT_CREDENTIALS),
				List.of(), false, false, false, List.of(), false,
				new ClientPolicy(null, null, null, false, new ClientPolicy.RateLimit(perSecond, burst))));
	}

	private MockHttpServletResponse token(IssuedSecret client) throws Exception {
		return mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "client_credentials")).andReturn().getResponse();
	}

}
