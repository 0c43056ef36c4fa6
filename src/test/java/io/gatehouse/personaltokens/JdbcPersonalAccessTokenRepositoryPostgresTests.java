package io.gatehouse.personaltokens;

import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class JdbcPersonalAccessTokenRepositoryPostgresTests extends JdbcPersonalAccessTokenRepositoryTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.postgres(registry);
	}

	@Override
	void analyze() {
		jdbc.sql("analyze personal_access_token").update();
	}

}
