package io.gatehouse.oauth;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.Topics;
import io.gatehouse.secrets.Secrets;
import io.gatehouse.signin.Permissions;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.StatementCounter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static io.gatehouse.support.OAuthRequests.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The verified-token cache behind the REST API's JWT bearer check and introspection: a token presented again costs
 * no read of the token or account tables, and every change that ends the token is seen on the next request (this
 * node) or as soon as its signal arrives (another node's change).
 */
@GatehouseIntegrationTest
class VerifiedAccessTokensIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Autowired
	AuthClientService clients;

	@Autowired
	ChangeSignals signals;

	@Autowired
	JdbcAuthorizationRepository repository;

	IssuedSecret client;

	long serviceAccount;

	String token;

	@BeforeEach
	void issueToken() throws Exception {
		client = clients.create(new AuthClientDraft("Cached " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
		serviceAccount = client.client().serviceAccountId();
		jdbc.sql("insert into account_permission (account_id, permission_name) values (:id, :p)")
			.param("id", serviceAccount).param("p", Permissions.VIEW_AUTH_CLIENTS).update();
		String body = mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "client_credentials"))
			.andExpect(status().isOk())
			.andReturn().getResponse().getContentAsString();
		token = json.readTree(body).get("access_token").asString();
	}

	@Test
	void bearerWhenPresentedAgainThenNoReadOfTokensOrAccounts() throws Exception {
		api().andExpect(status().isOk());
		List<String> statements = StatementCounter.statementsOf(() -> api().andExpect(status().isOk()));
		assertThat(statements).isNotEmpty()
			.noneMatch(sql -> sql.contains("oauth_token") || sql.contains("account") && !sql.contains("auth_client"));
	}

	@Test
	void bearerWhenRevokedAtTheRevocationEndpointThenRefusedOnTheNextRequest() throws Exception {
		api().andExpect(status().isOk());
		mvc.perform(post("/oauth/revoke").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("token", token))
			.andExpect(status().isOk());
		api().andExpect(status().isUnauthorized());
	}

	@Test
	void bearerWhenClientDeletedThenRefusedOnTheNextRequest() throws Exception {
		api().andExpect(status().isOk());
		clients.delete(client.client().id());
		api().andExpect(status().isUnauthorized());
	}

	@Test
	void bearerWhenAnotherNodeRevokedTheGrantThenRefusedOnceItsSignalArrives() throws Exception {
		api().andExpect(status().isOk());
		// another node's commit: this node learns of it only through the signal
		jdbc.sql("update oauth_token set invalidated_at = current_timestamp where token_hash = :hash")
			.param("hash", Secrets.sha256(token)).update();
		api().andExpect(status().isOk());
		signals.publish(Topics.GRANT, grantOf(token));
		api().andExpect(status().isUnauthorized());
	}

	@Test
	void bearerWhenAnotherNodeDeactivatedTheAccountThenRefusedOnceItsSignalArrives() throws Exception {
		api().andExpect(status().isOk());
		jdbc.sql("update account set active = false where id = :id").param("id", serviceAccount).update();
		signals.publish(Topics.ACCOUNT, Long.toString(serviceAccount));
		api().andExpect(status().isUnauthorized());
	}

	@Test
	void introspectWhenPresentedAgainThenActiveWithoutReadingTheTokenStore() throws Exception {
		introspect().andExpect(jsonPath("$.active").value(true));
		List<String> statements = StatementCounter.statementsOf(
				() -> introspect().andExpect(jsonPath("$.active").value(true))
					.andExpect(jsonPath("$.client_id").value(client.client().id())));
		assertThat(statements).noneMatch(sql -> sql.contains("oauth_token") || sql.contains("oauth_authorization"));
	}

	@Test
	void introspectWhenRevokedThenInactiveOnTheNextRequest() throws Exception {
		introspect().andExpect(jsonPath("$.active").value(true));
		mvc.perform(post("/oauth/revoke").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("token", token))
			.andExpect(status().isOk());
		introspect().andExpect(status().isOk()).andExpect(jsonPath("$.active").value(false));
	}

	@Test
	void verifyWhenTheTokenPassesItsExpiryThenNotAnsweredFromTheCache() throws Exception {
		Instant exp = Instant.now().plusMillis(300);
		Jwt jwt = Jwt.withTokenValue(token).header("alg", "ES256").subject(Long.toString(serviceAccount))
			.claim("client_id", client.client().id()).issuedAt(exp.minusSeconds(60)).expiresAt(exp).build();
		boolean[] expired = { false };
		VerifiedAccessTokens tokens = new VerifiedAccessTokens(value -> {
			if (expired[0]) {
				throw new JwtException("expired");
			}
			return jwt;
		}, repository, signals, Duration.ofMinutes(10));
		assertThat(tokens.verify(token)).isNotNull();
		Thread.sleep(Duration.between(Instant.now(), exp).toMillis() + 50);
		expired[0] = true;
		assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(JwtException.class);
	}

	@Test
	void verifyWhenMoreTokensThanTheBoundThenOldOnesAreEvicted() throws Exception {
		Instant exp = Instant.now().plusSeconds(600);
		String grant = grantOf(token);
		VerifiedAccessTokens tokens = new VerifiedAccessTokens(value -> Jwt.withTokenValue(value).header("alg", "none")
			.subject("1").expiresAt(exp).build(), new JdbcAuthorizationRepository(jdbc, null) {
				@Override
				java.util.Optional<LiveGrant> findLiveAccessTokenGrant(String hash) {
					return java.util.Optional.of(new LiveGrant(grant, null, null));
				}
			}, signals, Duration.ofMinutes(10));
		for (int i = 0; i < VerifiedAccessTokens.MAX_TOKENS + 500; i++) {
			tokens.verify("value-" + i);
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (tokens.size() > VerifiedAccessTokens.MAX_TOKENS && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(tokens.size()).isLessThanOrEqualTo(VerifiedAccessTokens.MAX_TOKENS);
	}

	private String grantOf(String value) {
		return jdbc.sql("select authorization_id from oauth_token where token_hash = :hash")
			.param("hash", Secrets.sha256(value)).query(String.class).single();
	}

	private ResultActions api() throws Exception {
		return mvc.perform(get("/api/1.0/auth-clients").header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
	}

	private ResultActions introspect() throws Exception {
		return mvc.perform(post("/oauth/introspect").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("token", token));
	}

}
