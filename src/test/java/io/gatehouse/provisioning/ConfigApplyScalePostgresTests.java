package io.gatehouse.provisioning;

import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ConfigApplyScaleTests} on a real PostgreSQL. */
class ConfigApplyScalePostgresTests extends ConfigApplyScaleTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.postgres(registry);
	}

}
