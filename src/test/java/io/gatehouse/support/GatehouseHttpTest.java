package io.gatehouse.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole application on a real port, for tests that speak raw HTTP to it with {@link ScriptClient} (nothing
 * between the test and Tomcat that could tidy up a request). One in-memory H2 database, shared by every class that
 * uses this annotation (one Spring context for all of them); tests make their own uniquely named records.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {
		"spring.datasource.url=jdbc:h2:mem:gatehouse-http;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
		"gatehouse.admin.username=bootstrap-admin", "gatehouse.admin.password=bootstrap-password" })
public @interface GatehouseHttpTest {
}
