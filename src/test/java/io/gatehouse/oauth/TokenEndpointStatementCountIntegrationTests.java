package io.gatehouse.oauth;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.signin.Permissions;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.StatementLog;
import io.gatehouse.support.StatementLog.Statement;
import io.gatehouse.support.TestAccounts;
import io.gatehouse.support.TestDatabases;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static io.gatehouse.support.OAuthRequests.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The database work of the token endpoint's hot paths, counted statement by statement through a proxy around the
 * pool (not timed), so that a change that adds a round trip fails here instead of slowing the server silently. The
 * client is read once and then served from the cache; each figure is the plan, and a request may do less.
 */
@GatehouseIntegrationTest
@Import(StatementLog.Configuration.class)
class TokenEndpointStatementCountIntegrationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Autowired
	AuthClientService clients;

	@Autowired
	StatementLog log;

	@Test
	void clientCredentialsWhenCacheWarmThenOnlyTheTokenInsertsInOneCommit() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("Counted " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
		assertThat(clientCredentials(client).getStatus()).isEqualTo(200);

		log.start();
		MockHttpServletResponse answer = clientCredentials(client);
		List<Statement> statements = log.stop();

		assertThat(answer.getStatus()).isEqualTo(200);
		// the grant's row and the access token's row, and nothing read: the client and its service account are cached
		assertThat(statements).as("statements of a client credentials request: %s", statements).hasSize(2);
		assertThat(statements.get(0).isInsertInto("oauth_authorization")).as("%s", statements).isTrue();
		assertThat(statements.get(1).isInsertInto("oauth_token")).as("%s", statements).isTrue();
		assertThat(log.commits()).as("commits").isEqualTo(1);
		String hash = io.gatehouse.secrets.Secrets.sha256(
				json.readTree(answer.getContentAsString()).get("access_token").asString());
		assertThat(jdbc.sql("select count(*) from oauth_token where token_hash = :hash").param("hash", hash)
			.query(Long.class).single()).isEqualTo(1);
	}

	@Test
	void refreshWhenCacheWarmThenFindClaimAndInsertTheNewPair() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("Counted refresh " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD), List.of()));
		User user = TestAccounts.user().username("counted-" + UUID.randomUUID())
			.permissions(Permissions.VIEW_AUTH_CLIENTS).create(jdbc);
		JsonNode first = json.readTree(passwordGrant(client, user).getContentAsString());
		JsonNode second = json.readTree(refresh(client, first.get("refresh_token").asString()).getContentAsString());

		log.start();
		MockHttpServletResponse answer = refresh(client, second.get("refresh_token").asString());
		List<Statement> statements = log.stop();

		assertThat(answer.getStatus()).isEqualTo(200);
		// one read of the token by its hash joined with its grant and the grant's tokens; the grant's row lock and the
		// claim of the presented token; the new access and refresh tokens in one batch (whether the account is still
		// active comes from the node's cache of active accounts, dropped by the account's change signal)
		assertThat(statements).as("statements of a refresh: %s", statements).hasSize(4);
		assertThat(statements.stream().filter(Statement::isSelect).count()).as("%s", statements).isEqualTo(2);
		assertThat(statements.get(3).isInsertInto("oauth_token")).as("%s", statements).isTrue();
		assertThat(statements.get(3).batchSize()).as("%s", statements).isEqualTo(2);
		// the lookup reads without a transaction of its own (a rotated token that comes back revokes in one of its
		// own); the one commit is the save's
		assertThat(log.commits()).as("commits").isEqualTo(1);
	}

	@Test
	void passwordGrantWhenCacheWarmThenTheAccountOnceAndTheGrantWithItsTokens() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("Counted password " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD), List.of()));
		User user = TestAccounts.user().username("counted-" + UUID.randomUUID())
			.permissions(Permissions.VIEW_AUTH_CLIENTS).create(jdbc);
		assertThat(passwordGrant(client, user).getStatus()).isEqualTo(200);

		log.start();
		MockHttpServletResponse answer = passwordGrant(client, user);
		List<Statement> statements = log.stop();

		assertThat(answer.getStatus()).isEqualTo(200);
		// the account by username and its permissions; the grant's row; its access and refresh tokens in one batch
		assertThat(statements).as("statements of a password grant: %s", statements).hasSize(4);
		assertThat(statements.stream().filter(Statement::isSelect).count()).as("%s", statements).isEqualTo(2);
		assertThat(statements.get(3).batchSize()).as("%s", statements).isEqualTo(2);
		assertThat(log.commits()).as("commits").isEqualTo(1);
	}

	private MockHttpServletResponse clientCredentials(IssuedSecret client) throws Exception {
		return mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "client_credentials")).andReturn().getResponse();
	}

	private MockHttpServletResponse passwordGrant(IssuedSecret client, User user) throws Exception {
		MockHttpServletResponse answer = mvc.perform(post("/oauth/token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "password").param("username", user.username())
			.param("password", TestAccounts.PASSWORD)).andReturn().getResponse();
		assertThat(answer.getStatus()).as(answer.getContentAsString()).isEqualTo(200);
		return answer;
	}

	private MockHttpServletResponse refresh(IssuedSecret client, String refreshToken) throws Exception {
		MockHttpServletResponse answer = mvc.perform(post("/oauth/token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "refresh_token").param("refresh_token", refreshToken)).andReturn().getResponse();
		assertThat(answer.getStatus()).as(answer.getContentAsString()).isEqualTo(200);
		return answer;
	}

}
