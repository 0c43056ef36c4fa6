package io.gatehouse.provisioning;

import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ConfigApplyScaleTests} on the embedded H2. */
class ConfigApplyScaleH2Tests extends ConfigApplyScaleTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
	}

}
