package io.gatehouse.clients;

import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class JdbcAuthClientRepositoryPostgresTests extends JdbcAuthClientRepositoryTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.postgres(registry);
	}

	@Override
	void analyze() {
		jdbc.sql("analyze auth_client").update();
	}

}
