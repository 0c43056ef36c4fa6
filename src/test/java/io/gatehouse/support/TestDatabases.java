package io.gatehouse.support;

import java.util.UUID;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a Spring test context at a fresh, empty database. To run one persistence test class on both databases, put
 * the tests in an abstract {@code XxxTests} class and add two subclasses that differ in one line:
 *
 * <pre>
 * class XxxH2Tests extends XxxTests {
 *     &#64;DynamicPropertySource
 *     static void database(DynamicPropertyRegistry registry) { TestDatabases.h2(registry); }
 * }
 *
 * class XxxPostgresTests extends XxxTests {
 *     &#64;DynamicPropertySource
 *     static void database(DynamicPropertyRegistry registry) { TestDatabases.postgres(registry); }
 * }
 * </pre>
 *
 * With {@code @JdbcTest} the base class also needs {@code @AutoConfigureTestDatabase(replace = NONE)}, or Boot swaps
 * the database for its own. Flyway migrates each new database when the context starts. A {@code @DynamicPropertySource}
 * method makes the context unique to its class, so every test class gets its own database.
 */
public final class TestDatabases {

	/** A random {@code GATEHOUSE_KEY_ENCRYPTION_KEY} for this test JVM: 32 bytes in base64. */
	public static final String KEY_ENCRYPTION_KEY = randomKey();

	private TestDatabases() {
	}

	private static String randomKey() {
		byte[] key = new byte[32];
		new java.security.SecureRandom().nextBytes(key);
		return java.util.Base64.getEncoder().encodeToString(key);
	}

	/** An in-memory H2 in PostgreSQL mode, as the application's default file database is configured. */
	public static void h2(DynamicPropertyRegistry registry) {
		String name = "gatehouse-test-" + UUID.randomUUID();
		registry.add("spring.datasource.url", () -> "jdbc:h2:mem:" + name
				+ ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
		registry.add("spring.datasource.username", () -> "sa");
		registry.add("spring.datasource.password", () -> "");
	}

	/**
	 * A new database on the test JVM's embedded PostgreSQL server (see {@link PostgresTestDatabase}), with the
	 * key-encryption key for signing keys that Gatehouse requires on PostgreSQL ({@link #KEY_ENCRYPTION_KEY}).
	 */
	public static void postgres(DynamicPropertyRegistry registry) {
		String url = PostgresTestDatabase.newDatabase();
		registry.add("spring.datasource.url", () -> url);
		registry.add("spring.datasource.username", () -> PostgresTestDatabase.USER);
		registry.add("spring.datasource.password", () -> PostgresTestDatabase.PASSWORD);
		registry.add("gatehouse.key.encryption.key", () -> KEY_ENCRYPTION_KEY);
	}

}
