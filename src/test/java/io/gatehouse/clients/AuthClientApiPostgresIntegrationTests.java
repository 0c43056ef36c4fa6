package io.gatehouse.clients;

import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same tests as {@link AuthClientApiIntegrationTests}, on a real PostgreSQL. */
class AuthClientApiPostgresIntegrationTests extends AuthClientApiIntegrationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.postgres(registry);
	}

}
