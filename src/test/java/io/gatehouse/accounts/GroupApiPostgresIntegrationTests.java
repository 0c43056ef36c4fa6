package io.gatehouse.accounts;

import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same tests as {@link GroupApiIntegrationTests}, on a real PostgreSQL. */
class GroupApiPostgresIntegrationTests extends GroupApiIntegrationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.postgres(registry);
	}

}
