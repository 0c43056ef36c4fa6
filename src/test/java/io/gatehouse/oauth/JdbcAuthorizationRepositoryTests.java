package io.gatehouse.oauth;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.TestAuthClients;
import io.gatehouse.oauth.JdbcAuthorizationRepository.AuthorizationRow;
import io.gatehouse.oauth.JdbcAuthorizationRepository.StoredToken;
import io.gatehouse.support.TestAccounts;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token store's SQL on its own: ending one user's code-grant tokens for one client (withdrawing consent), and
 * ending the codes pending for a removed redirect URL. Run on H2 and on PostgreSQL by the subclasses.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
abstract class JdbcAuthorizationRepositoryTests {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	NamedParameterJdbcTemplate batches;

	JdbcAuthorizationRepository tokens;

	@BeforeEach
	void setUp() {
		tokens = new JdbcAuthorizationRepository(jdbc, batches);
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

	@Test
	void revokePendingCodesWhenCodesForSeveralRedirectUrisThenOnlyTheLiveOnesForTheRemovedUriEnd() {
		User user = TestAccounts.user().username("ada-" + UUID.randomUUID()).create(jdbc);
		String client = TestAuthClients.client().create(jdbc);
		String otherClient = TestAuthClients.client().create(jdbc);
		Instant later = Instant.now().plusSeconds(60);
		code(grant(client, user, "authorization_code"), "c-removed", "https://a.example/cb", later, false);
		code(grant(client, user, "authorization_code"), "c-kept", "https://b.example/cb", later, false);
		code(grant(client, user, "authorization_code"), "c-before-v14", null, later, false);
		code(grant(client, user, "authorization_code"), "c-expired", "https://a.example/cb",
				Instant.now().minusSeconds(1), false);
		code(grant(client, user, "authorization_code"), "c-used", "https://a.example/cb", later, true);
		code(grant(otherClient, user, "authorization_code"), "c-elsewhere", "https://a.example/cb", later, false);

		assertThat(tokens.revokePendingCodes(client, Set.of("https://a.example/cb"))).isEqualTo(2);

		assertThat(jdbc.sql("select token_hash from oauth_token where token_hash like 'c-%' and invalidated_at is null")
			.query(String.class).list()).containsExactlyInAnyOrder("c-kept", "c-expired", "c-elsewhere");
	}

	private void code(String authorizationId, String hash, @Nullable String redirectUri, Instant expiresAt,
			boolean used) {
		tokens.insertTokens(authorizationId,
				List.of(new StoredToken(hash, "code", Instant.now(), expiresAt, used, false, "{}", redirectUri)));
	}

	private String grant(String clientId, User user, String grantType) {
		String id = UUID.randomUUID().toString();
		tokens.insertAuthorization(new AuthorizationRow(id, clientId, user.username(), grantType, "api", "{}"),
				user.id(), null);
		return id;
	}

	/** A live token whose hash column holds {@code name}, so the test can tell them apart. */
	private void token(String authorizationId, String type, String name) {
		tokens.insertTokens(authorizationId,
				List.of(new StoredToken(name, type, Instant.now(), null, false, false, "{}", null)));
	}

	private Map<String, Boolean> invalidated() {
		Map<String, Boolean> states = new java.util.HashMap<>();
		jdbc.sql("select token_hash, invalidated_at from oauth_token where token_hash in "
				+ "('a1','r1','s1','a2','p1','e1','o1')")
			.query((rs, i) -> states.put(rs.getString(1), rs.getObject(2) != null))
			.list();
		return states;
	}

	private boolean revoked(String authorizationId) {
		return jdbc.sql("select revoked_at from oauth_authorization where id = :id").param("id", authorizationId)
			.query((rs, i) -> rs.getObject(1) != null).single();
	}

}
