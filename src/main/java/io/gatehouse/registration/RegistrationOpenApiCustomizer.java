package io.gatehouse.registration;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * What the {@code /oauth/register} operations refer to: their two bearer tokens as security schemes and the RFC 7591
 * 3.2.2 error body.
 */
@Component
class RegistrationOpenApiCustomizer implements OpenApiCustomizer {

	@Override
	public void customise(OpenAPI openApi) {
		if (openApi.getComponents() == null) {
			openApi.setComponents(new Components());
		}
		Components components = openApi.getComponents();
		components.addSecuritySchemes("initialAccessToken", new SecurityScheme().type(SecurityScheme.Type.HTTP)
			.scheme("bearer")
			.description("An initial access token (gtiat_…) from POST /api/1.0/initial-access-tokens or the console"));
		components.addSecuritySchemes("registrationAccessToken", new SecurityScheme().type(SecurityScheme.Type.HTTP)
			.scheme("bearer")
			.description("The registration_access_token (gtrat_…) of the client's registration response"));
		components.addSchemas("RegistrationError", new ObjectSchema()
			.description("RFC 7591 3.2.2 / RFC 6750 error")
			.properties(Map.of("error",
					new StringSchema()._enum(List.of(RegistrationException.INVALID_CLIENT_METADATA,
							RegistrationException.INVALID_REDIRECT_URI, RegistrationException.INVALID_TOKEN)),
					"error_description", new StringSchema())));
	}

}
