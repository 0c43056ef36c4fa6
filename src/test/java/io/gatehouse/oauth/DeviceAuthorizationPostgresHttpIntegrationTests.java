package io.gatehouse.oauth;

import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The same tests as {@link DeviceAuthorizationHttpIntegrationTests}, on a real PostgreSQL. */
class DeviceAuthorizationPostgresHttpIntegrationTests extends DeviceAuthorizationHttpIntegrationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.postgres(registry);
	}

}
