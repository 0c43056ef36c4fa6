package io.gatehouse.oauth;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.support.GatehouseHttpTest;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GATEHOUSE_PAR_REQUIRED=true}: every client's authorization requests only through {@code /oauth/par}. */
@GatehouseHttpTest
class PushedAuthorizationRequiredHttpIntegrationTests {

	static final String REDIRECT = "https://app.example.com/callback";

	@DynamicPropertySource
	static void parRequired(DynamicPropertyRegistry registry) {
		registry.add("gatehouse.par.required", () -> "true");
	}

	@LocalServerPort
	int port;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	IssuedSecret client;

	OAuthHttp browser;

	@BeforeEach
	void setUp() {
		// a client that does not ask for PAR itself
		client = clients.create(new AuthClientDraft("Any web " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of(REDIRECT)));
		User user = TestAccounts.user().username("par-all-" + UUID.randomUUID()).create(jdbc);
		browser = new OAuthHttp(port, json).signIn(user.username(), TestAccounts.PASSWORD);
	}

	@Test
	void discoveryWhenParRequiredServerWideThenSaysSo() {
		for (String path : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
			JsonNode metadata = browser.request("GET", path).send().json();
			assertThat(metadata.get("require_pushed_authorization_requests").asBoolean()).as(path).isTrue();
		}
	}

	@Test
	void authorizeWhenParRequiredServerWideAndRequestInUrlThenRefusedButPushedRequestServed() {
		var direct = browser.request("GET", "/oauth/authorize")
			.query("response_type=code&scope=api&state=st&client_id=" + client.client().id() + "&redirect_uri="
					+ OAuthHttp.encode(REDIRECT))
			.accept("text/html")
			.send();
		assertThat(direct.status()).as(direct.toString()).isEqualTo(400);
		assertThat(direct.location()).isNull();
		assertThat(direct.body()).contains("invalid_request");

		var pushed = browser.post("/oauth/par").basic(client.client().id(), client.secret())
			.form("response_type", "code", "client_id", client.client().id(), "redirect_uri", REDIRECT, "scope",
					"api", "state", "st")
			.send();
		assertThat(pushed.status()).as(pushed.toString()).isEqualTo(201);
		var authorize = browser.request("GET", "/oauth/authorize")
			.query("client_id=" + client.client().id() + "&request_uri="
					+ OAuthHttp.encode(pushed.json().get("request_uri").asString()))
			.accept("text/html")
			.send();
		assertThat(authorize.status()).as(authorize.toString()).isEqualTo(302);
		assertThat(URI.create(authorize.location()).getPath()).isEqualTo("/oauth/consent");
	}

}
