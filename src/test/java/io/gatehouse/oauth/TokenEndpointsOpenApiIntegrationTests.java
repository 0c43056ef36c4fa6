package io.gatehouse.oauth;

import io.gatehouse.support.GatehouseIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The OpenAPI document covers the token APIs: the authorization server's endpoints, which springdoc cannot see. */
@GatehouseIntegrationTest
class TokenEndpointsOpenApiIntegrationTests {

	static final String DOCUMENT = "/api/documentation/openapi.json";

	@Autowired
	MockMvc mvc;

	@Test
	void deviceAuthorizationEndpointWhenDocumentedThenFormResponseAndDeviceErrors() throws Exception {
		mvc.perform(get(DOCUMENT))
			.andExpect(jsonPath("$.paths['/oauth/device_authorization'].post.requestBody"
					+ ".content['application/x-www-form-urlencoded'].schema['$ref']")
				.value("#/components/schemas/DeviceAuthorizationRequest"))
			.andExpect(jsonPath("$.components.schemas.DeviceAuthorizationResponse.properties.interval").exists())
			.andExpect(jsonPath("$.components.schemas.DeviceAuthorizationResponse.properties.verification_uri_complete")
				.exists())
			.andExpect(jsonPath("$.components.schemas.TokenRequest.properties.device_code").exists())
			.andExpect(jsonPath("$.components.schemas.OAuthError.properties.error.enum",
					hasItems("authorization_pending", "slow_down", "access_denied", "expired_token")))
			.andExpect(jsonPath("$.paths['/oauth/token'].post.description").value(containsString("slow_down")));
	}

	@Test
	void openApiDocumentWhenReadThenListsEveryOAuthEndpoint() throws Exception {
		mvc.perform(get(DOCUMENT))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.paths['/oauth/authorize'].get").exists())
			.andExpect(jsonPath("$.paths['/oauth/token'].post").exists())
			.andExpect(jsonPath("$.paths['/oauth/par'].post").exists())
			.andExpect(jsonPath("$.paths['/oauth/logout'].get.parameters[*].name",
					hasItems("id_token_hint", "post_logout_redirect_uri", "state")))
			.andExpect(jsonPath("$.paths['/oauth/introspect'].post").exists())
			.andExpect(jsonPath("$.paths['/oauth/revoke'].post").exists())
			.andExpect(jsonPath("$.paths['/oauth/jwks'].get").exists())
			.andExpect(jsonPath("$.paths['/userinfo'].get").exists())
			.andExpect(jsonPath("$.paths['/.well-known/oauth-authorization-server'].get").exists())
			.andExpect(jsonPath("$.paths['/.well-known/openid-configuration'].get").exists())
			// the REST API's own paths are still there beside them
			.andExpect(jsonPath("$.paths['/api/1.0/users/{user_id}/applications'].get").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/users/{user_id}/applications/{client_id}'].delete").exists());
	}

	@Test
	void tokenEndpointWhenDocumentedThenFormWithEveryGrantTypeAndRfc6749Errors() throws Exception {
		mvc.perform(get(DOCUMENT))
			.andExpect(jsonPath("$.paths['/oauth/token'].post.requestBody"
					+ ".content['application/x-www-form-urlencoded'].schema['$ref']")
				.value("#/components/schemas/TokenRequest"))
			.andExpect(jsonPath("$.components.schemas.TokenRequest.properties.grant_type.enum",
					containsInAnyOrder("authorization_code", "refresh_token", "password", "client_credentials",
							"urn:ietf:params:oauth:grant-type:device_code",
							"urn:ietf:params:oauth:grant-type:token-exchange")))
			.andExpect(jsonPath("$.components.schemas.TokenRequest.properties.subject_token").exists())
			.andExpect(jsonPath("$.components.schemas.TokenResponse.properties.issued_token_type").exists())
			.andExpect(jsonPath("$.components.schemas.TokenRequest.properties.grant_type.type").value("string"))
			.andExpect(jsonPath("$.components.schemas.TokenRequest.properties.code_verifier").exists())
			.andExpect(jsonPath(
					"$.paths['/oauth/token'].post.responses['400'].content['application/json'].schema['$ref']")
				.value("#/components/schemas/OAuthError"))
			.andExpect(jsonPath("$.components.schemas.OAuthError.properties.error.enum", hasItems("invalid_request",
					"invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type",
							"invalid_scope", "invalid_target")))
			.andExpect(jsonPath("$.components.schemas.TokenResponse.properties.refresh_token").exists())
			.andExpect(jsonPath("$.paths['/oauth/token'].post.responses['405']").exists())
			.andExpect(jsonPath("$.paths['/oauth/introspect'].post.description")
				.value(containsString("May introspect tokens of other clients")))
			.andExpect(jsonPath("$.paths['/oauth/revoke'].post.responses['400'].description")
				.value(containsString("unsupported_token_type")))
			.andExpect(jsonPath("$.paths['/oauth/authorize'].get.parameters[*].name",
					hasItems("client_id", "redirect_uri", "code_challenge", "code_challenge_method")));
	}

	@Test
	void parEndpointWhenDocumentedThenFormRequestUriResponseAndRequestUriParameter() throws Exception {
		mvc.perform(get(DOCUMENT))
			.andExpect(jsonPath("$.paths['/oauth/par'].post.requestBody"
					+ ".content['application/x-www-form-urlencoded'].schema['$ref']")
				.value("#/components/schemas/PushedAuthorizationRequest"))
			.andExpect(jsonPath("$.components.schemas.PushedAuthorizationResponse.properties.request_uri").exists())
			.andExpect(jsonPath("$.components.schemas.PushedAuthorizationResponse.properties.expires_in").exists())
			.andExpect(jsonPath("$.paths['/oauth/par'].post.responses['401']").exists())
			.andExpect(jsonPath("$.paths['/oauth/authorize'].get.parameters[*].name", hasItems("request_uri")))
			.andExpect(jsonPath("$.components.schemas.AuthClientJson.properties.require_par").exists())
			.andExpect(jsonPath("$.components.schemas.AuthClientRequest.properties.require_par").exists())
			.andExpect(jsonPath("$.components.schemas.AuthClientRequest.properties.post_logout_redirect_uris")
				.exists());
	}

	@Test
	void securitySchemesWhenDocumentedThenSessionBearerClientAndApiScope() throws Exception {
		mvc.perform(get(DOCUMENT))
			.andExpect(jsonPath("$.components.securitySchemes.session.in").value("cookie"))
			.andExpect(jsonPath("$.components.securitySchemes.bearer.type").value("http"))
			.andExpect(jsonPath("$.components.securitySchemes.bearer.scheme").value("bearer"))
			.andExpect(jsonPath("$.components.securitySchemes.bearer.description")
				.value("JWT access token or personal access token gtpat_..."))
			.andExpect(jsonPath("$.components.securitySchemes.client.scheme").value("basic"))
			.andExpect(jsonPath("$.components.securitySchemes.oauth2.flows.authorizationCode.scopes.api").exists())
			.andExpect(jsonPath("$.components.securitySchemes.oauth2.flows.password.tokenUrl").value("/oauth/token"))
			.andExpect(jsonPath("$.security[*].bearer").exists())
			.andExpect(jsonPath("$.paths['/userinfo'].get.security[*].bearer").exists())
			.andExpect(jsonPath("$.tags[*].name", hasItem(TokenEndpointsOpenApiCustomizer.TAG)));
	}

}
