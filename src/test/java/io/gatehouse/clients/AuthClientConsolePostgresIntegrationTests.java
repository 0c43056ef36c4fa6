package io.gatehouse.clients;

import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same tests as {@link AuthClientConsoleIntegrationTests}, on a real PostgreSQL. */
class AuthClientConsolePostgresIntegrationTests extends AuthClientConsoleIntegrationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.postgres(registry);
	}

}
