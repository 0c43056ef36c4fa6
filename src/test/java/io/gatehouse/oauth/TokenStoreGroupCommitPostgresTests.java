package io.gatehouse.oauth;

import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link TokenStoreGroupCommitTests} on a real PostgreSQL. */
class TokenStoreGroupCommitPostgresTests extends TokenStoreGroupCommitTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.postgres(registry);
	}

}
