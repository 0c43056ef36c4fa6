package io.gatehouse.api;

import io.gatehouse.support.GatehouseIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The API documentation is public: anyone about to script against the API can read it before signing in. */
@GatehouseIntegrationTest
class ApiDocumentationIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Test
	void openApiDocumentWhenAnonymousThenDescribesAuthClientEndpoints() throws Exception {
		mvc.perform(get("/api/documentation/openapi.json"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.info.title").value("Gatehouse REST API"))
			.andExpect(jsonPath("$.paths['/api/1.0/auth-clients'].get").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/auth-clients'].post").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/auth-clients/{id}'].put").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/auth-clients/{id}'].delete").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/auth-clients/{id}/secret'].post").exists());
	}

	@Test
	void swaggerUiWhenAnonymousThenServed() throws Exception {
		mvc.perform(get("/api/documentation")).andExpect(status().is3xxRedirection());
		mvc.perform(get("/api/swagger-ui/index.html"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("swagger-ui")));
	}

}
