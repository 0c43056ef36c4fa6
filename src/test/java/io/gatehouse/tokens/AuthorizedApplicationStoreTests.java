package io.gatehouse.tokens;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import io.gatehouse.accounts.User;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The SQL behind "Authorized applications": listing a user's consents and ending their code-grant tokens for one
 * client. Run on H2 and on PostgreSQL by the subclasses.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
abstract class AuthorizedApplicationStoreTests {

	@Autowired
	JdbcClient jdbc;

	JdbcConsentStore consents;

	JdbcTokenStore tokens;

	@BeforeEach
	void setUp() {
		consents = new JdbcConsentStore(jdbc);
		tokens = new JdbcTokenStore(jdbc, JsonMapper.builder().build(), mock(RegisteredClientRepository.class));
	}

	@Test
	void findForAccountWhenConsentsThenOwnLiveClientsByNameWithScopes() {
		User user = TestAccounts.user().username("ada-" + UUID.randomUUID()).create(jdbc);
		User other = TestAccounts.user().username("bob-" + UUID.randomUUID()).create(jdbc);
		String zebra = TestTokenClients.client().name("zebra " + UUID.randomUUID()).create(jdbc);
		String alpha = TestTokenClients.client().name("Alpha " + UUID.randomUUID()).create(jdbc);
		String deleted = TestTokenClients.client().create(jdbc);
		consent(zebra, user, "profile", "api");
		consent(alpha, user, "api");
		consent(deleted, user, "api");
		TestTokenClients.delete(jdbc, deleted);
		consent(alpha, other, "email");

		var found = consents.findForAccount(user.id());

		assertThat(found).extracting(AuthorizedApplication::clientId).containsExactly(alpha, zebra);
		assertThat(found.get(0).clientName()).startsWith("Alpha ");
		assertThat(found.get(1).scopes()).containsExactly("api", "profile");
		assertThat(found.get(0).grantedAt()).isAfter(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1).toInstant());
		assertThat(consents.findForAccount(other.id())).extracting(AuthorizedApplication::scopes)
			.containsExactly(java.util.List.of("email"));
	}

	@Test
	void revokeCodeGrantsWhenGrantsOfSeveralKindsThenOnlyTheUsersCodeGrantsForTheClientEnd() {
		User user = TestAccounts.user().username("ada-" + UUID.randomUUID()).create(jdbc);
		User other = TestAccounts.user().username("bob-" + UUID.randomUUID()).create(jdbc);
		String client = TestTokenClients.client().create(jdbc);
		String otherClient = TestTokenClients.client().create(jdbc);
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

	private void consent(String clientId, User user, String... scopes) {
		OAuth2AuthorizationConsent.Builder consent = OAuth2AuthorizationConsent.withId(clientId, user.username());
		for (String scope : scopes) {
			consent.scope(scope);
		}
		consents.save(consent.build());
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
