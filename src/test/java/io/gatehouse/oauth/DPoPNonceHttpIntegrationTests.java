package io.gatehouse.oauth;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.openid.connect.sdk.Nonce;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.support.GatehouseHttpTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9449 8 with {@code GATEHOUSE_DPOP_NONCE_REQUIRED=true}: a proof without the server's nonce is answered
 * {@code use_dpop_nonce} with the nonce in {@code DPoP-Nonce}; the same request with a proof carrying it succeeds.
 */
@GatehouseHttpTest
class DPoPNonceHttpIntegrationTests {

	@DynamicPropertySource
	static void nonceRequired(DynamicPropertyRegistry registry) {
		registry.add("gatehouse.dpop.nonce-required", () -> "true");
	}

	@LocalServerPort
	int port;

	@Autowired
	JsonMapper json;

	@Autowired
	AuthClientService clients;

	@Autowired
	DPoPNonces nonces;

	@Test
	void tokenWhenProofWithoutNonceThenUseDPoPNonceThenRetryWithNonceSucceeds() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("DPoP nonce " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
		OAuthHttp http = new OAuthHttp(port, json);
		URI endpoint = URI.create(http.base() + "/oauth/token");
		DPoPProofFactory proofs = new DefaultDPoPProofFactory(new ECKeyGenerator(Curve.P_256).generate(),
				JWSAlgorithm.ES256);

		var asked = http.post("/oauth/token").basic(client.client().id(), client.secret())
			.header("DPoP", proofs.createDPoPJWT("POST", endpoint).serialize())
			.form("grant_type", "client_credentials").send();
		assertThat(asked.status()).as(asked.toString()).isEqualTo(400);
		assertThat(asked.error()).isEqualTo("use_dpop_nonce");
		String nonce = asked.header("DPoP-Nonce");
		assertThat(nonce).isNotBlank().isEqualTo(nonces.current());

		var wrong = http.post("/oauth/token").basic(client.client().id(), client.secret())
			.header("DPoP", proofs.createDPoPJWT("POST", endpoint, new Nonce("made-up")).serialize())
			.form("grant_type", "client_credentials").send();
		assertThat(wrong.status()).isEqualTo(400);
		assertThat(wrong.error()).isEqualTo("use_dpop_nonce");

		var retried = http.post("/oauth/token").basic(client.client().id(), client.secret())
			.header("DPoP", proofs.createDPoPJWT("POST", endpoint, new Nonce(nonce)).serialize())
			.form("grant_type", "client_credentials").send();
		assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
		assertThat(retried.json().get("token_type").asString()).isEqualTo("DPoP");
	}

}
