package io.gatehouse.consent;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.TestAuthClients;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL behind "Authorized applications": a user's consents, by client name. Run on H2 and on PostgreSQL by the
 * subclasses.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
abstract class AuthorizedApplicationStoreTests {

	@Autowired
	JdbcClient jdbc;

	JdbcConsentStore consents;

	@BeforeEach
	void setUp() {
		consents = new JdbcConsentStore(jdbc);
	}

	@Test
	void findForAccountWhenConsentsThenOwnLiveClientsByNameWithScopes() {
		User user = TestAccounts.user().username("ada-" + UUID.randomUUID()).create(jdbc);
		User other = TestAccounts.user().username("bob-" + UUID.randomUUID()).create(jdbc);
		String zebra = TestAuthClients.client().name("zebra " + UUID.randomUUID()).create(jdbc);
		String alpha = TestAuthClients.client().name("Alpha " + UUID.randomUUID()).create(jdbc);
		String deleted = TestAuthClients.client().create(jdbc);
		consent(zebra, user, "profile", "api");
		consent(alpha, user, "api");
		consent(deleted, user, "api");
		TestAuthClients.delete(jdbc, deleted);
		consent(alpha, other, "email");

		var found = consents.findForAccount(user.id());

		assertThat(found).extracting(AuthorizedApplication::clientId).containsExactly(alpha, zebra);
		assertThat(found.get(0).clientName()).startsWith("Alpha ");
		assertThat(found.get(1).scopes()).containsExactly("api", "profile");
		assertThat(found.get(0).grantedAt()).isAfter(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1).toInstant());
		assertThat(consents.findForAccount(other.id())).extracting(AuthorizedApplication::scopes)
			.containsExactly(java.util.List.of("email"));
	}

	private void consent(String clientId, User user, String... scopes) {
		OAuth2AuthorizationConsent.Builder consent = OAuth2AuthorizationConsent.withId(clientId, user.username());
		for (String scope : scopes) {
			consent.scope(scope);
		}
		consents.save(consent.build());
	}

}
