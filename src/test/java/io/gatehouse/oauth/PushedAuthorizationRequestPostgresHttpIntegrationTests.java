package io.gatehouse.oauth;

import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same tests as {@link PushedAuthorizationRequestHttpIntegrationTests}, on a real PostgreSQL. */
class PushedAuthorizationRequestPostgresHttpIntegrationTests extends PushedAuthorizationRequestHttpIntegrationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.postgres(registry);
	}

}
