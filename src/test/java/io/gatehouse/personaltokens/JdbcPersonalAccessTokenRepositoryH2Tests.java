package io.gatehouse.personaltokens;

import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class JdbcPersonalAccessTokenRepositoryH2Tests extends JdbcPersonalAccessTokenRepositoryTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
	}

	@Override
	void analyze() {
		jdbc.sql("analyze table personal_access_token").update();
	}

}
