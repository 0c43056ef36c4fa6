package io.gatehouse.oauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import static io.gatehouse.support.OAuthRequests.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@GatehouseIntegrationTest
class TokenCleanupIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	@Test
	void deleteExpiredWhenTokensADayPastExpiryThenGrantGoneAndLiveGrantsKept() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("Cleanup " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD),
				List.of()));
		User user = TestAccounts.user().username("c-" + UUID.randomUUID()).password("user-password").create(jdbc);
		mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "password").param("username", user.username()).param("password", "user-password"))
			.andExpect(status().isOk());

		new TokenCleanup(new JdbcAuthorizationRepository(jdbc), Clock.fixed(Instant.now(), ZoneOffset.UTC))
			.deleteExpired();
		assertThat(grants(client)).as("live grants stay").isEqualTo(1);

		Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(16)), ZoneOffset.UTC);
		new TokenCleanup(new JdbcAuthorizationRepository(jdbc), later).deleteExpired();
		assertThat(grants(client)).as("a grant whose refresh token expired more than a day ago goes").isZero();
	}

	private long grants(IssuedSecret client) {
		return jdbc.sql("select count(*) from oauth_authorization where client_id = :id").param("id",
				client.client().id())
			.query(Long.class).single();
	}

}
