package io.gatehouse.oauth;

import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class JdbcDPoPProofRepositoryH2Tests extends JdbcDPoPProofRepositoryTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
	}

}
