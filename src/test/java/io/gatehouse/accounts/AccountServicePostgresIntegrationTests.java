package io.gatehouse.accounts;

import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same tests as {@link AccountServiceIntegrationTests}, on a real PostgreSQL. */
class AccountServicePostgresIntegrationTests extends AccountServiceIntegrationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.postgres(registry);
	}

}
