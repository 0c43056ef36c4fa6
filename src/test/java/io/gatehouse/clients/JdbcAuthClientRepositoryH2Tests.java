package io.gatehouse.clients;

import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class JdbcAuthClientRepositoryH2Tests extends JdbcAuthClientRepositoryTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
	}

	@Override
	void analyze() {
		jdbc.sql("analyze table auth_client").update();
	}

}
