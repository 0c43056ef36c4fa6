package io.gatehouse.oauth;

import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link TokenStoreGroupCommitTests} on H2. */
class TokenStoreGroupCommitH2Tests extends TokenStoreGroupCommitTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.h2(registry);
	}

}
