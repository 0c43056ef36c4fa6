package io.gatehouse.oauth;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.api.ValidationException;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/** A public client has no secret, must use PKCE, and may use only the authorization code grant. */
@GatehouseIntegrationTest
class PublicClientIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	@Test
	void createWhenPublicThenNoSecretIssued() {
		IssuedSecret issued = clients.create(new AuthClientDraft("SPA " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of("https://spa.example.com/cb"), true));
		assertThat(issued.secret()).isNull();
		assertThat(issued.client().publicClient()).isTrue();
		assertThatThrownBy(() -> clients.regenerateSecret(issued.client().id()))
			.isInstanceOf(ValidationException.class);
	}

	@Test
	void createWhenPublicWithOtherGrantsThenRefused() {
		assertThatThrownBy(() -> clients.create(new AuthClientDraft("Bad SPA " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE, GrantType.PASSWORD), List.of("https://spa.example.com/cb"), true)))
			.isInstanceOfSatisfying(ValidationException.class,
					ex -> assertThat(ex.errors().get("public")).first().asString()
						.contains("only the authorization code"));
	}

	@Test
	void authorizeWhenPublicClientWithoutPkceThenRefused() throws Exception {
		IssuedSecret issued = clients.create(new AuthClientDraft("Mobile " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of("https://m.example.com/cb"), true));
		var user = TestAccounts.user().username("p-" + UUID.randomUUID()).create(jdbc);
		MockHttpServletResponse response = mvc.perform(get("/oauth/authorize").with(TestAccounts.as(user))
			.queryParam("response_type", "code").queryParam("client_id", issued.client().id())
			.queryParam("redirect_uri", "https://m.example.com/cb").queryParam("scope", "api")
			.queryParam("state", "s")).andReturn().getResponse();
		assertThat(response.getRedirectedUrl()).startsWith("https://m.example.com/cb")
			.contains("error=invalid_request");
	}

}
