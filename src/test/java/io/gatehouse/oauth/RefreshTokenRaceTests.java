package io.gatehouse.oauth;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.signin.Permissions;
import io.gatehouse.support.AtOnce;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.aop.framework.Advised;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.test.web.servlet.MockMvc;

import static io.gatehouse.support.OAuthRequests.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Several requests present the same refresh token at once, from real threads released together, through the real
 * token endpoint. At most one may get new tokens; the others are a reuse of a rotated token. Run on H2 and PostgreSQL
 * by the subclasses.
 */
@GatehouseIntegrationTest
abstract class RefreshTokenRaceTests {

	static final int REQUESTS = 10;

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Autowired
	AuthClientService clients;

	@Autowired
	JdbcTokenStore tokenStore;

	IssuedSecret client;

	User user;

	MethodInterceptor gate;

	@BeforeEach
	void setUp() {
		client = clients.create(new AuthClientDraft("Mobile app " + UUID.randomUUID(), Set.of(GrantType.PASSWORD),
				List.of()));
		user = TestAccounts.user().username("racer-" + UUID.randomUUID()).permissions(Permissions.VIEW_AUTH_CLIENTS)
			.create(jdbc);
	}

	@AfterEach
	void openTheGate() {
		if (gate != null) {
			((Advised) tokenStore).removeAdvice(gate);
		}
	}

	@Test
	void refreshWhenTenRequestsLoadedTheTokenBeforeAnySavedThenOneWinsAndTheGrantIsRevoked() throws Exception {
		JsonNode first = passwordGrant();
		// every request waits after loading the grant by its refresh token until all ten have loaded it: the
		// interleaving in which each sees the token still live
		holdEveryRefreshAfterLoadingUntilAllLoaded();

		List<MockHttpServletResponse> answers = refreshAtOnce(first.get("refresh_token").asString());

		((Advised) tokenStore).removeAdvice(gate);
		gate = null;
		assertOneWinnerAndTheRestInvalidGrant(answers);
		JsonNode winner = json.readTree(answers.stream().filter(answer -> answer.getStatus() == 200).findFirst()
			.orElseThrow().getContentAsString());
		assertGrantRevoked(first, winner);
	}

	@Test
	void refreshWhenTenRequestsSendTheTokenAtOnceThenAtMostOneWins() throws Exception {
		JsonNode first = passwordGrant();

		List<MockHttpServletResponse> answers = refreshAtOnce(first.get("refresh_token").asString());

		List<Integer> statuses = answers.stream().map(MockHttpServletResponse::getStatus).toList();
		assertThat(statuses).as("statuses").allSatisfy(status -> assertThat(status).isIn(200, 400));
		assertThat(statuses.stream().filter(status -> status == 200).count()).as("successes").isLessThanOrEqualTo(1);
		for (MockHttpServletResponse answer : answers) {
			if (answer.getStatus() == 400) {
				assertThat(json.readTree(answer.getContentAsString()).get("error").asString())
					.isEqualTo("invalid_grant");
			}
		}
	}

	private void assertOneWinnerAndTheRestInvalidGrant(List<MockHttpServletResponse> answers) throws Exception {
		List<Integer> statuses = answers.stream().map(MockHttpServletResponse::getStatus).toList();
		assertThat(statuses).as("statuses").hasSize(REQUESTS);
		assertThat(statuses.stream().filter(status -> status == 200).count()).as("successes of " + statuses)
			.isEqualTo(1);
		for (MockHttpServletResponse answer : answers) {
			if (answer.getStatus() != 200) {
				assertThat(answer.getStatus()).isEqualTo(400);
				assertThat(json.readTree(answer.getContentAsString()).get("error").asString())
					.isEqualTo("invalid_grant");
			}
		}
	}

	/** Reuse revokes the grant: the winner's new tokens are dead as well as the first ones. */
	private void assertGrantRevoked(JsonNode first, JsonNode winner) throws Exception {
		for (JsonNode tokens : List.of(first, winner)) {
			assertThat(mvc.perform(get("/api/1.0/auth-clients").header(HttpHeaders.AUTHORIZATION,
					"Bearer " + tokens.get("access_token").asString())).andReturn().getResponse().getStatus())
				.isEqualTo(401);
		}
		MockHttpServletResponse again = refresh(winner.get("refresh_token").asString());
		assertThat(again.getStatus()).isEqualTo(400);
		assertThat(json.readTree(again.getContentAsString()).get("error").asString()).isEqualTo("invalid_grant");
		assertThat(jdbc.sql("""
				select count(*) from oauth_authorization a
				where a.client_id = :client and a.revoked_at is not null
				""").param("client", client.client().id()).query(Long.class).single()).isEqualTo(1);
		assertThat(jdbc.sql("""
				select count(*) from oauth_token t join oauth_authorization a on a.id = t.authorization_id
				where a.client_id = :client and t.invalidated_at is null
				""").param("client", client.client().id()).query(Long.class).single()).isZero();
	}

	private void holdEveryRefreshAfterLoadingUntilAllLoaded() {
		CyclicBarrier allLoaded = new CyclicBarrier(REQUESTS);
		gate = invocation -> {
			Object found = invocation.proceed();
			if (invocation.getMethod().getName().equals("findByToken") && found != null
					&& OAuth2TokenType.REFRESH_TOKEN.equals(invocation.getArguments()[1])) {
				try {
					allLoaded.await(20, TimeUnit.SECONDS);
				}
				catch (TimeoutException | BrokenBarrierException ex) {
					// not all ten got this far: let this one go on
				}
			}
			return found;
		};
		((Advised) tokenStore).addAdvice(0, gate);
	}

	private List<MockHttpServletResponse> refreshAtOnce(String refreshToken) throws Exception {
		return AtOnce.run(REQUESTS, () -> refresh(refreshToken));
	}

	private JsonNode passwordGrant() throws Exception {
		MockHttpServletResponse response = mvc.perform(post("/oauth/token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "password").param("username", user.username()).param("password",
					TestAccounts.PASSWORD))
			.andReturn().getResponse();
		assertThat(response.getStatus()).isEqualTo(200);
		return json.readTree(response.getContentAsString());
	}

	private MockHttpServletResponse refresh(String refreshToken) throws Exception {
		return mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "refresh_token").param("refresh_token", refreshToken)).andReturn().getResponse();
	}

}
