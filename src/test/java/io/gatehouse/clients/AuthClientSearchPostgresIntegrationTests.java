package io.gatehouse.clients;

import io.gatehouse.cluster.Topics;
import io.gatehouse.support.TestDatabases;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same tests as {@link AuthClientSearchIntegrationTests}, on a real PostgreSQL, where another node's change
 * arrives only as its {@code NOTIFY}, on this node's listening connection.
 */
class AuthClientSearchPostgresIntegrationTests extends AuthClientSearchIntegrationTests {

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabases.postgres(registry);
	}

	@Override
	void signalFromAnotherNode(String clientId) {
		// what another node's ChangeSignals.publish sends: heard here only through PostgreSQL
		jdbc.sql("select pg_notify('gatehouse_changes', :payload)")
			.param("payload", Topics.CLIENT + ":" + clientId)
			.query((rs, row) -> row)
			.list();
	}

}
