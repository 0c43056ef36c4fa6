package io.gatehouse.oauth;

import java.util.ArrayList;
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
import io.gatehouse.secrets.Secrets;
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

import org.springframework.aop.framework.Advised;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static io.gatehouse.support.OAuthRequests.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The refresh-token grace period: a rotated refresh token presented again within it rotates once more instead of
 * revoking the grant; after it, or a third time, reuse detection revokes as without one. Run on H2 and PostgreSQL by
 * the subclasses.
 */
@GatehouseIntegrationTest
@TestPropertySource(properties = "gatehouse.tokens.refresh-grace-period=30s")
abstract class RefreshGraceTests {

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
		client = clients.create(new AuthClientDraft("Two tabs " + UUID.randomUUID(), Set.of(GrantType.PASSWORD),
				List.of()));
		user = TestAccounts.user().username("tabs-" + UUID.randomUUID()).permissions(Permissions.VIEW_AUTH_CLIENTS)
			.create(jdbc);
	}

	@AfterEach
	void openTheGate() {
		if (gate != null) {
			((Advised) tokenStore).removeAdvice(gate);
		}
	}

	@Test
	void refreshWhenRotatedTokenPresentedAgainWithinGraceThenFreshPairAndGrantAlive() throws Exception {
		JsonNode first = passwordGrant();
		JsonNode rotated = ok(refresh(first.get("refresh_token").asString()));

		JsonNode again = ok(refresh(first.get("refresh_token").asString()));

		assertThat(again.get("refresh_token").asString()).isNotEqualTo(rotated.get("refresh_token").asString());
		assertThat(api(again)).isEqualTo(200);
		assertThat(api(rotated)).as("the first rotation's access token lives on").isEqualTo(200);
		assertThat(ok(refresh(again.get("refresh_token").asString())).get("access_token")).isNotNull();
		assertThat(revokedGrants()).isZero();
	}

	@Test
	void refreshWhenRotatedTokenPresentedAThirdTimeThenGrantRevoked() throws Exception {
		JsonNode first = passwordGrant();
		ok(refresh(first.get("refresh_token").asString()));
		JsonNode again = ok(refresh(first.get("refresh_token").asString()));

		assertInvalidGrant(refresh(first.get("refresh_token").asString()));

		assertThat(api(again)).isEqualTo(401);
		assertThat(revokedGrants()).isEqualTo(1);
	}

	@Test
	void refreshWhenEachTabKeepsRefreshingWithinGraceThenEachTokenRotatesAtMostTwice() throws Exception {
		JsonNode first = passwordGrant();
		JsonNode tabA = ok(refresh(first.get("refresh_token").asString()));
		JsonNode tabB = ok(refresh(first.get("refresh_token").asString()));
		// tab B's rotation rotated tab A's token away moments ago: it too may rotate once more
		JsonNode tabAAgain = ok(refresh(tabA.get("refresh_token").asString()));
		assertThat(api(tabAAgain)).isEqualTo(200);

		assertInvalidGrant(refresh(tabA.get("refresh_token").asString()));

		assertThat(api(tabB)).isEqualTo(401);
		assertThat(api(tabAAgain)).isEqualTo(401);
		assertThat(revokedGrants()).isEqualTo(1);
	}

	@Test
	void refreshWhenRotatedTokenPresentedAgainAfterGraceThenGrantRevoked() throws Exception {
		JsonNode first = passwordGrant();
		JsonNode rotated = ok(refresh(first.get("refresh_token").asString()));
		jdbc.sql("update oauth_token set invalidated_at = invalidated_at - interval '31' second where token_hash = :h")
			.param("h", Secrets.sha256(first.get("refresh_token").asString()))
			.update();

		assertInvalidGrant(refresh(first.get("refresh_token").asString()));

		assertThat(api(rotated)).isEqualTo(401);
		assertThat(revokedGrants()).isEqualTo(1);
	}

	@Test
	void refreshWhenTwoTabsRefreshAtOnceThenBothGetTokensAndTheGrantLives() throws Exception {
		JsonNode first = passwordGrant();
		// both requests load the grant by the refresh token before either saves: each sees it live
		holdEveryRefreshAfterLoadingUntil(2);

		List<MockHttpServletResponse> answers = refreshAtOnce(first.get("refresh_token").asString(), 2);

		((Advised) tokenStore).removeAdvice(gate);
		gate = null;
		assertThat(answers).extracting(MockHttpServletResponse::getStatus).containsExactly(200, 200);
		List<String> refreshTokens = new ArrayList<>();
		for (MockHttpServletResponse answer : answers) {
			JsonNode tokens = json.readTree(answer.getContentAsString());
			assertThat(api(tokens)).isEqualTo(200);
			refreshTokens.add(tokens.get("refresh_token").asString());
		}
		assertThat(refreshTokens.get(0)).isNotEqualTo(refreshTokens.get(1));
		String live = jdbc.sql("""
				select t.token_hash from oauth_token t join oauth_authorization a on a.id = t.authorization_id
				where a.client_id = :client and t.token_type = 'refresh_token' and t.superseded = false
				""").param("client", client.client().id()).query(String.class).single();
		String latest = refreshTokens.stream().filter(token -> Secrets.sha256(token).equals(live)).findFirst()
			.orElseThrow();
		ok(refresh(latest));
		assertThat(revokedGrants()).isZero();
	}

	private long revokedGrants() {
		return jdbc.sql("select count(*) from oauth_authorization where client_id = :client and revoked_at is not null")
			.param("client", client.client().id()).query(Long.class).single();
	}

	private int api(JsonNode tokens) throws Exception {
		return mvc.perform(get("/api/1.0/auth-clients").header(HttpHeaders.AUTHORIZATION,
				"Bearer " + tokens.get("access_token").asString())).andReturn().getResponse().getStatus();
	}

	private JsonNode ok(MockHttpServletResponse response) throws Exception {
		assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
		return json.readTree(response.getContentAsString());
	}

	private void assertInvalidGrant(MockHttpServletResponse response) throws Exception {
		assertThat(response.getStatus()).isEqualTo(400);
		assertThat(json.readTree(response.getContentAsString()).get("error").asString()).isEqualTo("invalid_grant");
	}

	private void holdEveryRefreshAfterLoadingUntil(int requests) {
		CyclicBarrier allLoaded = new CyclicBarrier(requests);
		gate = invocation -> {
			Object found = invocation.proceed();
			if (invocation.getMethod().getName().equals("findByToken") && found != null
					&& OAuth2TokenType.REFRESH_TOKEN.equals(invocation.getArguments()[1])) {
				try {
					allLoaded.await(20, TimeUnit.SECONDS);
				}
				catch (TimeoutException | BrokenBarrierException ex) {
					// the other did not get this far: let this one go on
				}
			}
			return found;
		};
		((Advised) tokenStore).addAdvice(0, gate);
	}

	private List<MockHttpServletResponse> refreshAtOnce(String refreshToken, int requests) throws Exception {
		return AtOnce.run(requests, () -> refresh(refreshToken));
	}

	private JsonNode passwordGrant() throws Exception {
		return ok(mvc.perform(post("/oauth/token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "password").param("username", user.username()).param("password",
					TestAccounts.PASSWORD))
			.andReturn().getResponse());
	}

	private MockHttpServletResponse refresh(String refreshToken) throws Exception {
		return mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "refresh_token").param("refresh_token", refreshToken)).andReturn().getResponse();
	}

}
