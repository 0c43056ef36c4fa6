package io.gatehouse.registration;

import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same tests as {@link ClientRegistrationHttpIntegrationTests}, on a real PostgreSQL. */
class ClientRegistrationPostgresHttpIntegrationTests extends ClientRegistrationHttpIntegrationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.postgres(registry);
	}

}
