package io.gatehouse.registration;

import io.gatehouse.support.GatehouseIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The OpenAPI document describes the initial access token API and the registration endpoints. */
@GatehouseIntegrationTest
class RegistrationOpenApiIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Test
	void openApiDocumentWhenReadThenDescribesInitialAccessTokensAndRegistrationEndpoints() throws Exception {
		mvc.perform(get("/api/documentation/openapi.json"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.paths['/api/1.0/initial-access-tokens'].get").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/initial-access-tokens'].post").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/initial-access-tokens/{id}'].delete").exists())
			.andExpect(jsonPath("$.paths['/oauth/register'].post.security[0].initialAccessToken").exists())
			.andExpect(jsonPath("$.paths['/oauth/register'].post.responses['201']").exists())
			.andExpect(jsonPath("$.paths['/oauth/register'].post.responses['400']").exists())
			.andExpect(jsonPath("$.paths['/oauth/register/{clientId}'].get.security[0].registrationAccessToken")
				.exists())
			.andExpect(jsonPath("$.paths['/oauth/register/{clientId}'].put").exists())
			.andExpect(jsonPath("$.paths['/oauth/register/{clientId}'].delete").exists())
			.andExpect(jsonPath("$.components.schemas.ClientMetadata.properties.redirect_uris").exists())
			.andExpect(jsonPath("$.components.schemas.ClientInformation.properties.registration_access_token")
				.exists())
			.andExpect(jsonPath("$.components.schemas.RegistrationError.properties.error.enum").isArray())
			.andExpect(jsonPath("$.components.schemas.InitialAccessTokenJson.properties.expires_at").exists())
			.andExpect(jsonPath("$.components.securitySchemes.initialAccessToken.scheme").value("bearer"));
	}

}
