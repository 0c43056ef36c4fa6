package io.gatehouse.clients;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import io.gatehouse.accounts.User;
import io.gatehouse.database.NameKeys;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static io.gatehouse.signin.Permissions.CREATE_AUTH_CLIENTS;
import static io.gatehouse.signin.Permissions.DELETE_AUTH_CLIENTS;
import static io.gatehouse.signin.Permissions.EDIT_AUTH_CLIENTS;
import static io.gatehouse.signin.Permissions.VIEW_AUTH_CLIENTS;
import static io.gatehouse.support.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

/**
 * Every Auth Clients route, console and API, against every kind of user: the server must refuse (403) whatever the
 * user's permissions do not cover, however the request is forced, and writing nothing; and must let through what they
 * do, with the route's exact status and its write in the database (a redirect to the login page is not "allowed").
 */
@GatehouseIntegrationTest
class AuthClientPermissionMatrixIntegrationTests {

	enum Persona {

		NONE, VIEW, VIEW_CREATE, VIEW_EDIT, VIEW_DELETE, EDIT_WITHOUT_VIEW, ALL_THROUGH_GROUP, SUPER_ADMIN;

		Set<String> holds() {
			return switch (this) {
				case NONE -> Set.of();
				case VIEW -> Set.of(VIEW_AUTH_CLIENTS);
				case VIEW_CREATE -> Set.of(VIEW_AUTH_CLIENTS, CREATE_AUTH_CLIENTS);
				case VIEW_EDIT -> Set.of(VIEW_AUTH_CLIENTS, EDIT_AUTH_CLIENTS);
				case VIEW_DELETE -> Set.of(VIEW_AUTH_CLIENTS, DELETE_AUTH_CLIENTS);
				case EDIT_WITHOUT_VIEW -> Set.of(EDIT_AUTH_CLIENTS);
				case ALL_THROUGH_GROUP, SUPER_ADMIN ->
					Set.of(VIEW_AUTH_CLIENTS, CREATE_AUTH_CLIENTS, EDIT_AUTH_CLIENTS, DELETE_AUTH_CLIENTS);
			};
		}

	}

	/** What an allowed request writes; a refused one writes none of it. */
	enum Write {

		/** a read: nothing changes */
		NONE,
		/** a client named by {@link Route#name(String)} exists */
		CREATE,
		/** the target's name is {@link Route#name(String)} */
		RENAME,
		/** the target's secret hash changed */
		NEW_SECRET,
		/** the target is revoked */
		DELETE

	}

	/**
	 * @param status the exact status when allowed
	 * @param newName the name a create or rename writes, with %s for the target's id
	 */
	record Route(String label, Set<String> needs, int status, Write write, String newName,
			Function<String, MockHttpServletRequestBuilder> request) {

		String name(String id) {
			return newName.formatted(id);
		}

		@Override
		public String toString() {
			return label;
		}

	}

	static final String VALID_JSON = "{\"name\": \"%s\", \"types\": [\"password_client\"]}";

	static List<Route> routes() {
		return List.of(
				new Route("GET /admin/auth-clients", Set.of(VIEW_AUTH_CLIENTS), 200, Write.NONE, "",
						id -> get("/admin/auth-clients")),
				new Route("GET /admin/auth-clients/new", Set.of(VIEW_AUTH_CLIENTS, CREATE_AUTH_CLIENTS), 200,
						Write.NONE, "", id -> get("/admin/auth-clients/new")),
				// the create page answers with the new secret, shown once, rather than a redirect
				new Route("POST /admin/auth-clients", Set.of(VIEW_AUTH_CLIENTS, CREATE_AUTH_CLIENTS), 200,
						Write.CREATE, "matrix %s",
						id -> post("/admin/auth-clients").param("name", "matrix " + id).param("passwordGrant", "true")),
				new Route("GET /admin/auth-clients/{id}/edit", Set.of(VIEW_AUTH_CLIENTS, EDIT_AUTH_CLIENTS), 200,
						Write.NONE, "", id -> get("/admin/auth-clients/{id}/edit", id)),
				new Route("POST /admin/auth-clients/{id}", Set.of(VIEW_AUTH_CLIENTS, EDIT_AUTH_CLIENTS), 302,
						Write.RENAME, "renamed %s",
						id -> post("/admin/auth-clients/{id}", id).param("name", "renamed " + id)
							.param("personalAccess", "true").param("version", "1")),
				new Route("POST /admin/auth-clients/{id}/secret", Set.of(VIEW_AUTH_CLIENTS, EDIT_AUTH_CLIENTS), 200,
						Write.NEW_SECRET, "", id -> post("/admin/auth-clients/{id}/secret", id)),
				new Route("POST /admin/auth-clients/{id}/delete", Set.of(VIEW_AUTH_CLIENTS, DELETE_AUTH_CLIENTS), 302,
						Write.DELETE, "", id -> post("/admin/auth-clients/{id}/delete", id)),
				new Route("GET /api/1.0/auth-clients", Set.of(VIEW_AUTH_CLIENTS), 200, Write.NONE, "",
						id -> get("/api/1.0/auth-clients")),
				new Route("GET /api/1.0/auth-clients/{id}", Set.of(VIEW_AUTH_CLIENTS), 200, Write.NONE, "",
						id -> get("/api/1.0/auth-clients/{id}", id)),
				new Route("POST /api/1.0/auth-clients", Set.of(VIEW_AUTH_CLIENTS, CREATE_AUTH_CLIENTS), 201,
						Write.CREATE, "api %s", id -> post("/api/1.0/auth-clients")
							.contentType(MediaType.APPLICATION_JSON).content(VALID_JSON.formatted("api " + id))),
				new Route("PUT /api/1.0/auth-clients/{id}", Set.of(VIEW_AUTH_CLIENTS, EDIT_AUTH_CLIENTS), 200,
						Write.RENAME, "api renamed %s", id -> put("/api/1.0/auth-clients/{id}", id)
							.contentType(MediaType.APPLICATION_JSON).content(VALID_JSON.formatted("api renamed "
									+ id))),
				new Route("POST /api/1.0/auth-clients/{id}/secret", Set.of(VIEW_AUTH_CLIENTS, EDIT_AUTH_CLIENTS), 200,
						Write.NEW_SECRET, "", id -> post("/api/1.0/auth-clients/{id}/secret", id)),
				new Route("DELETE /api/1.0/auth-clients/{id}", Set.of(VIEW_AUTH_CLIENTS, DELETE_AUTH_CLIENTS), 204,
						Write.DELETE, "", id -> delete("/api/1.0/auth-clients/{id}", id)));
	}

	static Stream<Arguments> cases() {
		return routes().stream()
			.flatMap(route -> EnumSet.allOf(Persona.class).stream().map(persona -> Arguments.of(route, persona)));
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AuthClientService clients;

	@ParameterizedTest(name = "{0} as {1}")
	@MethodSource("cases")
	void routeWhenPersonaThenAllowedExactlyWhenPermissionsCoverIt(Route route, Persona persona) throws Exception {
		String id = clients.create(new AuthClientDraft("matrix target " + java.util.UUID.randomUUID(),
				Set.of(GrantType.PASSWORD), List.of())).client().id();
		String secretHashBefore = secretHash(id);
		User user = userFor(persona);
		MockHttpServletResponse response = mvc.perform(route.request().apply(id).with(as(user)).with(csrf()))
			.andReturn().getResponse();
		boolean allowed = persona.holds().containsAll(route.needs());
		String what = route + " as " + persona;
		if (allowed) {
			assertThat(response.getStatus()).as(what).isEqualTo(route.status());
			if (route.status() == 302) {
				assertThat(response.getRedirectedUrl()).as(what).isEqualTo("/admin/auth-clients");
			}
			switch (route.write()) {
				case NONE -> assertThat(clients.get(id).version()).as(what).isEqualTo(1);
				case CREATE -> assertThat(clientsNamed(route.name(id))).as(what).isEqualTo(1);
				case RENAME -> assertThat(clients.get(id).name()).as(what).isEqualTo(route.name(id));
				case NEW_SECRET -> assertThat(secretHash(id)).as(what).isNotEqualTo(secretHashBefore);
				case DELETE -> assertThat(revoked(id)).as(what).isTrue();
			}
		}
		else {
			assertThat(response.getStatus()).as(what).isEqualTo(403);
			assertThat(revoked(id)).as("%s: a refused request deletes nothing", what).isFalse();
			assertThat(clients.get(id).version()).as("%s: a refused request changes nothing", what).isEqualTo(1);
			assertThat(secretHash(id)).as("%s: a refused request keeps the secret", what).isEqualTo(secretHashBefore);
			if (route.write() == Write.CREATE) {
				assertThat(clientsNamed(route.name(id))).as("%s: a refused request creates nothing", what).isZero();
			}
		}
	}

	private String secretHash(String id) {
		return jdbc.sql("select secret_hash from auth_client where id = :id").param("id", id).query(String.class)
			.single();
	}

	private boolean revoked(String id) {
		return jdbc.sql("select revoked from auth_client where id = :id").param("id", id).query(Boolean.class)
			.single();
	}

	private long clientsNamed(String name) {
		return jdbc.sql("select count(*) from auth_client where name_key = :key")
			.param("key", NameKeys.of(name))
			.query(Long.class)
			.single();
	}

	@ParameterizedTest(name = "{0} when not signed in")
	@MethodSource("routes")
	void routeWhenNotSignedInThenLoginOr401(Route route) throws Exception {
		var response = mvc.perform(route.request().apply("some-id").with(csrf())).andReturn().getResponse();
		if (route.label().contains("/api/")) {
			assertThat(response.getStatus()).isEqualTo(401);
		}
		else {
			assertThat(response.getStatus()).isEqualTo(302);
			assertThat(response.getRedirectedUrl()).endsWith("/login");
		}
	}

	private User userFor(Persona persona) {
		return switch (persona) {
			case SUPER_ADMIN -> TestAccounts.user().superAdmin().create(jdbc);
			case ALL_THROUGH_GROUP -> TestAccounts.user().permissionsThroughGroup(persona.holds()).create(jdbc);
			default -> TestAccounts.user().permissions(persona.holds()).create(jdbc);
		};
	}

}
