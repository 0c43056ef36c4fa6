package io.gatehouse.clients;

import java.util.Arrays;
import java.util.List;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * The values of an auth client's {@code types} in the OpenAPI document, taken from {@link GrantType}: an annotation
 * could only repeat them by hand, and the list would drift from the grants the API accepts.
 */
@Component
class AuthClientOpenApiCustomizer implements OpenApiCustomizer {

	/** The schemas springdoc makes of the request and response bodies. */
	private static final List<String> SCHEMAS = List.of("AuthClientJson", "AuthClientRequest");

	@Override
	@SuppressWarnings({ "rawtypes", "unchecked" })
	public void customise(OpenAPI openApi) {
		List<String> apiNames = Arrays.stream(GrantType.values()).map(GrantType::apiName).toList();
		if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
			return;
		}
		for (String name : SCHEMAS) {
			Schema<?> schema = openApi.getComponents().getSchemas().get(name);
			Schema types = schema == null || schema.getProperties() == null ? null
					: (Schema) schema.getProperties().get("types");
			if (types != null && types.getItems() != null) {
				types.getItems().setEnum(apiNames);
			}
		}
	}

}
