package io.gatehouse.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole application on a real HTTP port (Tomcat), for tests that must control the bytes on the wire: the query
 * string apart from the form body, a missing or wildcard {@code Content-Type}, the method. MockMvc's {@code .param()}
 * cannot tell a query parameter from a form field, so the OAuth endpoints are tested here with
 * {@code java.net.http.HttpClient}. Every class with this annotation shares one context and one in-memory H2.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {
		"spring.datasource.url=jdbc:h2:mem:gatehouse-http;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
				+ "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
		"gatehouse.admin.username=http-admin", "gatehouse.admin.password=http-test-password" })
public @interface GatehouseHttpTest {
}
