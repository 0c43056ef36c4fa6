package io.gatehouse.accounts;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a first start the super admin exists before the web server accepts a request: a script that waits for the login
 * page and then signs in (as the process tests and many deployments do) must not be told the password is wrong.
 * Its own empty database, so the start is a first start.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {
		"spring.datasource.url=jdbc:h2:mem:gatehouse-admin-order;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
				+ "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
		"management.server.port=0", "gatehouse.admin.username=first-admin",
		"gatehouse.admin.password=first-admin-password" })
@Import(AdminBootstrapOrderTests.AdminsWhenServerListens.class)
class AdminBootstrapOrderTests {

	@Autowired
	AtomicReference<Long> adminsWhenServerListened;

	@Test
	void firstStartWhenWebServerStartsListeningThenTheSuperAdminAlreadyExists() {
		assertThat(adminsWhenServerListened.get()).as("super admins when the web server started listening")
			.isEqualTo(1L);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class AdminsWhenServerListens {

		@Bean
		AtomicReference<Long> adminsWhenServerListened() {
			return new AtomicReference<>();
		}

		@Bean
		ApplicationListener<WebServerInitializedEvent> countAdminsWhenServerListens(JdbcClient jdbc,
				AtomicReference<Long> adminsWhenServerListened) {
			return event -> {
				if (adminsWhenServerListened.get() == null) {
					adminsWhenServerListened.set(jdbc.sql("select count(*) from account where super_admin = true")
						.query(Long.class)
						.single());
				}
			};
		}

	}

}
