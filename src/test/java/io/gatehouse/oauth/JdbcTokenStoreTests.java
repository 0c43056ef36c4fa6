package io.gatehouse.oauth;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.TestAuthClients;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The token store's SQL on its own: ending one user's code-grant tokens for one client (withdrawing consent). Run on
 * H2 and on PostgreSQL by the subclasses.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
abstract class JdbcTokenStoreTests {

	@Autowired
	JdbcClient jdbc;

	JdbcTokenStore tokens;

	@BeforeEach
	void setUp() {
		tokens = new JdbcTokenStore(jdbc, JsonMapper.builder().build(), mock(RegisteredClientRepository.class));
	}

	@Test
	void revokeCodeGrantsWhenGrantsOfSeveralKindsThenOnlyTheUsersCodeGrantsForTheClientEnd() {
		User user = TestAccounts.user().username("ada-" + UUID.randomUUID()).create(jdbc);
		User other = TestAccounts.user().username("bob-" + UUID.randomUUID()).create(jdbc);
		String client = TestAuthClients.client().create(jdbc);
		String otherClient = TestAuthClients.client().create(jdbc);
		String code = grant(client, user, "authorization_code");
		token(code, "access_token", "a1");
		token(code, "refresh_token", "r1");
		token(code, "state", "s1");
		String earlier = grant(client, user, "authorization_code");
		token(earlier, "access_token", "a2");
		String password = grant(client, user, "password");
		token(password, "access_token", "p1");
		String elsewhere = grant(otherClient, user, "authorization_code");
		token(elsewhere, "access_token", "e1");
		String others = grant(client, other, "authorization_code");
		token(others, "access_token", "o1");

		assertThat(tokens.revokeCodeGrants(client, user.id())).isEqualTo(3);

		assertThat(invalidated()).isEqualTo(Map.of("a1", true, "r1", true, "s1", false, "a2", true, "p1", false,
				"e1", false, "o1", false));
		assertThat(revoked(code)).isTrue();
		assertThat(revoked(earlier)).isTrue();
		assertThat(revoked(password)).isFalse();
		assertThat(revoked(elsewhere)).isFalse();
		assertThat(revoked(others)).isFalse();
		assertThat(tokens.revokeCodeGrants(client, user.id())).as("already revoked").isZero();
	}

	private String grant(String clientId, User user, String grantType) {
		String id = UUID.randomUUID().toString();
		jdbc.sql("""
				insert into oauth_authorization (id, client_id, account_id, principal_name, grant_type, scopes,
				                                 attributes, created_at)
				values (:id, :client, :account, :principal, :grant, 'api', '{}', :now)
				""")
			.param("id", id)
			.param("client", clientId)
			.param("account", user.id())
			.param("principal", user.username())
			.param("grant", grantType)
			.param("now", OffsetDateTime.now(ZoneOffset.UTC))
			.update();
		return id;
	}

	/** A live token whose hash column holds {@code name}, so the test can tell them apart. */
	private void token(String authorizationId, String type, String name) {
		jdbc.sql("""
				insert into oauth_token (token_hash, authorization_id, token_type, issued_at, expires_at, invalidated_at,
				                         superseded, metadata)
				values (:hash, :authorization, :type, :now, null, null, false, '{}')
				""")
			.param("hash", name)
			.param("authorization", authorizationId)
			.param("type", type)
			.param("now", OffsetDateTime.now(ZoneOffset.UTC))
			.update();
	}

	private Map<String, Boolean> invalidated() {
		Map<String, Boolean> states = new java.util.HashMap<>();
		jdbc.sql("select token_hash, invalidated_at from oauth_token where token_hash in ('a1','r1','s1','a2','p1','e1','o1')")
			.query((rs, i) -> states.put(rs.getString(1), rs.getObject(2) != null))
			.list();
		return states;
	}

	private boolean revoked(String authorizationId) {
		return jdbc.sql("select revoked_at from oauth_authorization where id = :id").param("id", authorizationId)
			.query((rs, i) -> rs.getObject(1) != null).single();
	}

}
