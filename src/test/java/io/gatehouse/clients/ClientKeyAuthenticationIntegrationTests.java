package io.gatehouse.clients;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import io.gatehouse.accounts.User;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static io.gatehouse.support.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** A client's authentication method and keys in the REST API and on the console form. */
@GatehouseIntegrationTest
class ClientKeyAuthenticationIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	User admin;

	ECKey key;

	@BeforeEach
	void setUp() throws Exception {
		admin = TestAccounts.user().superAdmin().create(jdbc);
		key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
	}

	@Test
	void createWhenPrivateKeyJwtWithInlineJwksThen201WithoutSecretAndMethodShown() throws Exception {
		JsonNode created = json.readTree(create(Map.of("name", unique("Keys"), "types", List.of("client_credentials"),
				"token_endpoint_auth_method", "private_key_jwt",
				"jwks", new JWKSet(key.toPublicJWK()).toJSONObject())).andExpect(status().isCreated())
			.andReturn().getResponse().getContentAsString());

		assertThat(created.has("secret")).isFalse();
		assertThat(created.get("token_endpoint_auth_method").asString()).isEqualTo("private_key_jwt");
		assertThat(created.get("jwks").get("keys").get(0).get("kid").asString()).isEqualTo("k1");
		assertThat(created.get("jwks").get("keys").get(0).has("d")).isFalse();
		String id = created.get("id").asString();
		assertThat(jdbc.sql("select token_endpoint_auth_method from auth_client where id = :id").param("id", id)
			.query(String.class).single()).isEqualTo("private_key_jwt");
		mvc.perform(get("/api/1.0/auth-clients/{id}", id).with(as(admin)))
			.andExpect(jsonPath("$.token_endpoint_auth_method").value("private_key_jwt"))
			.andExpect(jsonPath("$.jwks.keys[0].kid").value("k1"));
	}

	@Test
	void createWhenJwksHoldsAPrivateKeyThen422AndNothingWritten() throws Exception {
		String name = unique("Leaky");
		create(Map.of("name", name, "types", List.of("client_credentials"), "token_endpoint_auth_method",
				"private_key_jwt", "jwks", new JWKSet(key).toJSONObject(false)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.jwks[0]").value(
					"The JWKS holds a private or secret key (kid k1); give only the public keys."));
		assertThat(countByName(name)).isZero();
	}

	@Test
	void createWhenJwksHoldsOnlyASymmetricKeyThen422() throws Exception {
		OctetSequenceKey secret = new OctetSequenceKeyGenerator(256).generate();
		create(Map.of("name", unique("Sym"), "types", List.of("client_credentials"), "jwks",
				new JWKSet(secret).toJSONObject(false)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.jwks[0]").value(
					org.hamcrest.Matchers.startsWith("The JWKS holds a private or secret key")));
	}

	@Test
	void createWhenJwksOnlyForEncryptionThen422NoSigningKey() throws Exception {
		ECKey encryption = new ECKeyGenerator(Curve.P_256).keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION)
			.generate();
		create(Map.of("name", unique("Enc"), "types", List.of("client_credentials"), "jwks",
				new JWKSet(encryption.toPublicJWK()).toJSONObject()))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.jwks[0]").value(org.hamcrest.Matchers.startsWith(
					"The JWKS needs at least one RSA or EC key for signatures")));
	}

	@Test
	void createWhenBothJwksAndJwksUriThen422() throws Exception {
		create(Map.of("name", unique("Both"), "types", List.of("client_credentials"), "token_endpoint_auth_method",
				"private_key_jwt", "jwks", new JWKSet(key.toPublicJWK()).toJSONObject(), "jwks_uri",
				"https://keys.example.com/jwks"))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.jwks[0]")
				.value("Give the keys either inline (JWKS) or as a JWKS URL, not both."));
	}

	@Test
	void createWhenPrivateKeyJwtWithoutKeysThen422() throws Exception {
		create(Map.of("name", unique("None"), "types", List.of("client_credentials"), "token_endpoint_auth_method",
				"private_key_jwt"))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.jwks[0]")
				.value("A private_key_jwt client needs its public keys: a JWKS or a JWKS URL."));
	}

	@Test
	void createWhenJwksUriNotHttpsThen422() throws Exception {
		create(Map.of("name", unique("Plain"), "types", List.of("client_credentials"), "token_endpoint_auth_method",
				"private_key_jwt", "jwks_uri", "http://keys.example.com/jwks"))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.jwks_uri[0]")
				.value("The JWKS URL must use https (plain http only to localhost)."));
	}

	@Test
	void createWhenUnknownMethodThen422() throws Exception {
		create(Map.of("name", unique("Odd"), "types", List.of("client_credentials"), "token_endpoint_auth_method",
				"tls_client_auth"))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.token_endpoint_auth_method[0]").value("The authentication method must be "
					+ "one of client_secret_basic, client_secret_post, private_key_jwt or none."));
	}

	@Test
	void createWhenMethodNoneThenPublicClientAndPublicFlagAgrees() throws Exception {
		JsonNode created = json.readTree(create(Map.of("name", unique("Spa"), "types",
				List.of("authorization_code_grant"), "redirect", "https://spa.example.com/cb",
				"token_endpoint_auth_method", "none")).andExpect(status().isCreated())
			.andReturn().getResponse().getContentAsString());

		assertThat(created.get("public").asBoolean()).isTrue();
		assertThat(created.has("secret")).isFalse();
		create(Map.of("name", unique("Spa"), "types", List.of("authorization_code_grant"), "redirect",
				"https://spa.example.com/cb", "public", true, "token_endpoint_auth_method", "client_secret_post"))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.token_endpoint_auth_method[0]")
				.value("A public client has no credentials: its authentication method is none."));
	}

	@Test
	void createWhenOnlyPublicFlagThenMethodNoneAndConfidentialDefaultIsClientSecretBasic() throws Exception {
		create(Map.of("name", unique("Old"), "types", List.of("authorization_code_grant"), "redirect",
				"https://old.example.com/cb", "public", true))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.token_endpoint_auth_method").value("none"));
		create(Map.of("name", unique("Old"), "types", List.of("client_credentials")))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.token_endpoint_auth_method").value("client_secret_basic"))
			.andExpect(jsonPath("$.secret").isString());
	}

	@Test
	void consoleFormWhenPrivateKeyJwtSavedThenStoredAndShownOnEdit() throws Exception {
		String name = unique("Console keys");
		String jwks = new JWKSet(key.toPublicJWK()).toString();
		var response = mvc.perform(post("/admin/auth-clients").with(as(admin)).with(csrf())
			.param("name", name)
			.param("clientCredentials", "true")
			.param("tokenEndpointAuthMethod", "private_key_jwt")
			.param("jwks", jwks)).andReturn().getResponse();
		assertThat(response.getStatus()).isEqualTo(200);
		String id = jdbc.sql("select id from auth_client where name = :n").param("n", name).query(String.class)
			.single();
		assertThat(jdbc.sql("select token_endpoint_auth_method from auth_client where id = :id").param("id", id)
			.query(String.class).single()).isEqualTo("private_key_jwt");

		Document edit = page(get("/admin/auth-clients/{id}/edit", id), 200);
		assertThat(edit.select("select#tokenEndpointAuthMethod option[selected]").val()).isEqualTo("private_key_jwt");
		assertThat(edit.select("textarea#jwks").text()).contains("\"kid\":\"k1\"");
		assertThat(edit.select("#keys-note").text()).startsWith("This client authenticates with its keys");
		assertThat(edit.select("#secrets")).isEmpty();
	}

	@Test
	void openApiWhenReadThenDocumentsTheAuthenticationFields() throws Exception {
		mvc.perform(get("/api/documentation/openapi.json"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.components.schemas.AuthClientRequest.properties.token_endpoint_auth_method.enum",
					org.hamcrest.Matchers.hasItems("client_secret_basic", "private_key_jwt", "none")))
			.andExpect(jsonPath("$.components.schemas.AuthClientRequest.properties.jwks").exists())
			.andExpect(jsonPath("$.components.schemas.AuthClientRequest.properties.jwks_uri").exists())
			.andExpect(jsonPath("$.components.schemas.AuthClientJson.properties.token_endpoint_auth_method").exists())
			.andExpect(jsonPath("$.components.schemas.TokenRequest.properties.client_assertion").exists());
	}

	@Test
	void consoleFormWhenPrivateKeyGivenThen422WithFieldError() throws Exception {
		String name = unique("Console leak");
		Document page = page(post("/admin/auth-clients").param("name", name).param("clientCredentials", "true")
			.param("tokenEndpointAuthMethod", "private_key_jwt").param("jwks", new JWKSet(key).toString(false)), 422);

		assertThat(page.select("#jwks-errors").text()).startsWith("The JWKS holds a private or secret key");
		assertThat(countByName(name)).isZero();
	}

	private ResultActions create(Map<String, Object> body) throws Exception {
		return mvc.perform(post("/api/1.0/auth-clients").with(as(admin)).with(csrf())
			.contentType(MediaType.APPLICATION_JSON)
			.content(json.writeValueAsString(body)));
	}

	private Document page(MockHttpServletRequestBuilder request, int expectedStatus) throws Exception {
		var response = mvc.perform(request.with(as(admin)).with(csrf())).andReturn().getResponse();
		assertThat(response.getStatus()).isEqualTo(expectedStatus);
		return Jsoup.parse(response.getContentAsString());
	}

	private long countByName(String name) {
		return jdbc.sql("select count(*) from auth_client where name = :n").param("n", name).query(Long.class)
			.single();
	}

	private static String unique(String prefix) {
		return prefix + " " + UUID.randomUUID().toString().substring(0, 8);
	}

}
