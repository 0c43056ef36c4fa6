package io.gatehouse.personaltokens;

import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same tests as {@link PersonalAccessTokenApiIntegrationTests}, on a real PostgreSQL. */
class PersonalAccessTokenApiPostgresIntegrationTests extends PersonalAccessTokenApiIntegrationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.postgres(registry);
	}

}
