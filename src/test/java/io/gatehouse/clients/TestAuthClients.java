package io.gatehouse.clients;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.database.NameKeys;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Auth clients for other modules' tests, stored through the clients module's own repository (so a test in a
 * {@code @JdbcTest} slice, without the services, still writes rows as the module does):
 * {@code TestAuthClients.client().name("x").create(jdbc)}. A client allows personal access tokens unless told
 * otherwise, and has no usable secret.
 */
public final class TestAuthClients {

	private String name = "Test client " + UUID.randomUUID();

	private Set<GrantType> grants = EnumSet.of(GrantType.PERSONAL_ACCESS);

	private TestAuthClients() {
	}

	public static TestAuthClients client() {
		return new TestAuthClients();
	}

	public TestAuthClients name(String name) {
		this.name = name;
		return this;
	}

	/** A client with the password grant instead of personal access tokens. */
	public TestAuthClients withoutPersonalAccess() {
		this.grants = EnumSet.of(GrantType.PASSWORD);
		return this;
	}

	/** Stores the client and returns its id. */
	public String create(JdbcClient jdbc) {
		String id = UUID.randomUUID().toString();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		AuthClient client = new AuthClient(id, name, grants, List.of(), false, 1, now, now);
		new JdbcAuthClientRepository(jdbc).insert(client, NameKeys.of(name), "0".repeat(64));
		return id;
	}

	/** Takes personal access tokens away from the client (it keeps the password grant, so it still has one). */
	public static void disablePersonalAccess(JdbcClient jdbc, String clientId) {
		JdbcAuthClientRepository repository = new JdbcAuthClientRepository(jdbc);
		AuthClient client = repository.findLive(clientId).orElseThrow();
		AuthClient changed = new AuthClient(client.id(), client.name(), EnumSet.of(GrantType.PASSWORD), List.of(),
				false, client.version() + 1, client.createdAt(), Instant.now().truncatedTo(ChronoUnit.MICROS));
		repository.update(changed, NameKeys.of(changed.name()), client.version());
	}

	/** Deletes the client as the console does: the row stays, revoked, and frees its name. */
	public static void delete(JdbcClient jdbc, String clientId) {
		JdbcAuthClientRepository repository = new JdbcAuthClientRepository(jdbc);
		AuthClient client = repository.findLive(clientId).orElseThrow();
		repository.revoke(clientId, client.version(), Instant.now().atOffset(java.time.ZoneOffset.UTC));
	}

}
