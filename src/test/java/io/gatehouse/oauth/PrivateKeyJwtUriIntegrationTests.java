package io.gatehouse.oauth;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.sun.net.httpserver.HttpServer;
import io.gatehouse.clients.AuthClient;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.outbound.OutboundHttp;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * private_key_jwt with the keys at a {@code jwks_uri}, served by a local HTTP server on loopback: this test's server
 * allows private targets (GATEHOUSE_OUTBOUND_ALLOW_PRIVATE), which is what lets the outbound module call it.
 */
@GatehouseIntegrationTest
@TestPropertySource(properties = "gatehouse.outbound.allow-private=true")
class PrivateKeyJwtUriIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	AuthClientService clients;

	@Autowired
	OutboundHttp http;

	private HttpServer server;

	private final AtomicReference<String> served = new AtomicReference<>("{\"keys\":[]}");

	private final AtomicInteger fetches = new AtomicInteger();

	@BeforeEach
	void startServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/jwks", exchange -> {
			this.fetches.incrementAndGet();
			byte[] body = this.served.get().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.stop(0);
	}

	@Test
	void tokenWhenEs256KeyAtJwksUriThenAccessTokenAndTheSetCachedForTheNextAssertion() throws Exception {
		ECKey key = new ECKeyGenerator(Curve.P_256).keyID("ec-uri").generate();
		this.served.set(new JWKSet(key.toPublicJWK()).toString());
		AuthClient client = uriClient("/jwks");

		token(client, new PrivateKeyJWT(new ClientID(client.id()), URI.create(PrivateKeyJwtIntegrationTests
			.TOKEN_ENDPOINT), JWSAlgorithm.ES256, key.toECPrivateKey(), key.getKeyID(), null).getClientAssertion()
			.serialize()).andExpect(status().isOk()).andExpect(jsonPath("$.access_token").isString());
		token(client, new PrivateKeyJWT(new ClientID(client.id()), URI.create(PrivateKeyJwtIntegrationTests
			.TOKEN_ENDPOINT), JWSAlgorithm.ES256, key.toECPrivateKey(), key.getKeyID(), null).getClientAssertion()
			.serialize()).andExpect(status().isOk());

		assertThat(this.fetches).hasValue(1);
	}

	@Test
	void tokenWhenRs256KeyAtJwksUriThenAccessToken() throws Exception {
		RSAKey key = new RSAKeyGenerator(2048).keyID("rsa-uri").generate();
		this.served.set(new JWKSet(key.toPublicJWK()).toString());
		AuthClient client = uriClient("/jwks");

		token(client, new PrivateKeyJWT(new ClientID(client.id()), URI.create(PrivateKeyJwtIntegrationTests
			.TOKEN_ENDPOINT), JWSAlgorithm.RS256, key.toRSAPrivateKey(), key.getKeyID(), null).getClientAssertion()
			.serialize()).andExpect(status().isOk());
	}

	@Test
	void tokenWhenJwksUriCannotBeFetchedThenInvalidClientNot500() throws Exception {
		ECKey key = new ECKeyGenerator(Curve.P_256).keyID("ec-gone").generate();
		AuthClient client = uriClient("/missing");

		token(client, new PrivateKeyJWT(new ClientID(client.id()), URI.create(PrivateKeyJwtIntegrationTests
			.TOKEN_ENDPOINT), JWSAlgorithm.ES256, key.toECPrivateKey(), key.getKeyID(), null).getClientAssertion()
			.serialize()).andExpect(status().isUnauthorized()).andExpect(jsonPath("$.error").value("invalid_client"));
	}

	@Test
	void selectWhenKidUnknownThenSetFetchedAgainAtMostOnceIn30Seconds() throws Exception {
		ECKey first = new ECKeyGenerator(Curve.P_256).keyID("first").generate();
		ECKey next = new ECKeyGenerator(Curve.P_256).keyID("next").generate();
		this.served.set(new JWKSet(first.toPublicJWK()).toString());
		MutableClock clock = new MutableClock(Instant.now());
		JwksUriKeys keys = new JwksUriKeys(this.http, clock);
		String uri = "http://127.0.0.1:" + this.server.getAddress().getPort() + "/jwks";
		JWKSelector nextKey = new JWKSelector(new JWKMatcher.Builder().keyID("next").build());

		assertThat(keys.select(uri, nextKey)).isEmpty();
		this.served.set(new JWKSet(List.of(first.toPublicJWK(), next.toPublicJWK())).toString());
		assertThat(keys.select(uri, nextKey)).isEmpty();
		assertThat(this.fetches).hasValue(1);

		clock.advance(JwksUriKeys.REFETCH_INTERVAL);
		assertThat(keys.select(uri, nextKey)).extracting(JWK::getKeyID).containsExactly("next");
		assertThat(this.fetches).hasValue(2);
	}

	private AuthClient uriClient(String path) {
		String uri = "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
		return clients.create(new AuthClientDraft("Uri keys " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of(), false, false, false, List.of(), false,
				new AuthClientDraft.Authentication("private_key_jwt", null, uri))).client();
	}

	private ResultActions token(AuthClient client, String assertion) throws Exception {
		return mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.param("grant_type", "client_credentials")
			.param("client_id", client.id())
			.param("client_assertion_type", PrivateKeyJwtIntegrationTests.JWT_BEARER)
			.param("client_assertion", assertion));
	}

}
