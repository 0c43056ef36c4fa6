package io.gatehouse.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document behind Swagger UI at {@code /api/documentation}. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	@Bean
	OpenAPI gatehouseOpenApi() {
		return new OpenAPI()
			.info(new Info().title("Gatehouse REST API")
				.version("1.0")
				.description("Manage auth clients, users, groups and permissions. Requests are authenticated with "
						+ "the console session; writes need the X-XSRF-TOKEN header holding the XSRF-TOKEN cookie. "
						+ "Lists take page, per_page (at most 100), filter, order_by and order_direction. "
						+ "Errors are application/problem+json; validation failures are 422 with an errors map. "
						+ "Scripts send Authorization: Bearer with an OAuth access token (scope api) or a personal "
						+ "access token instead, and need no CSRF header. The OAuth 2.0 endpoints that issue tokens "
						+ "are described here too."))
			.components(new Components()
				.addSecuritySchemes("session",
						new SecurityScheme().type(SecurityScheme.Type.APIKEY)
							.in(SecurityScheme.In.COOKIE)
							.name("JSESSIONID"))
				.addSecuritySchemes("bearer",
						new SecurityScheme().type(SecurityScheme.Type.HTTP)
							.scheme("bearer")
							.description("JWT access token or personal access token gtpat_...")))
			// either one authenticates a request
			.addSecurityItem(new SecurityRequirement().addList("session"))
			.addSecurityItem(new SecurityRequirement().addList("bearer"));
	}

}
