package io.gatehouse.support;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.gatehouse.accounts.SignedInUser;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;

/**
 * Creates real accounts in the test database, straight through SQL, so tests of any module can sign in as a user
 * with exactly the permissions they need. Requests then go through the real {@code AccountAuthorityFilter}, which
 * loads those permissions from the database as in production.
 */
public final class TestAccounts {

	private static final AtomicInteger SEQUENCE = new AtomicInteger();

	private final JdbcClient jdbc;

	public TestAccounts(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A new active user holding these permissions directly. */
	public SignedInUser user(String... permissions) {
		SignedInUser user = insert(false);
		for (String permission : permissions) {
			jdbc.sql("insert into account_permission (account_id, permission_name) values (:id, :name)")
				.param("id", user.id())
				.param("name", permission)
				.update();
		}
		return user;
	}

	/** A new active user who holds these permissions only through a new group. */
	public SignedInUser userThroughGroup(String... permissions) {
		SignedInUser user = insert(false);
		GeneratedKeyHolder keys = new GeneratedKeyHolder();
		String name = "group-" + UUID.randomUUID();
		jdbc.sql("""
				insert into user_group (name, name_key, description, version, created_at, updated_at)
				values (:name, :name, '', 1, :now, :now)
				""").param("name", name).param("now", OffsetDateTime.now(ZoneOffset.UTC)).update(keys, "id");
		long groupId = keys.getKey().longValue();
		jdbc.sql("insert into group_member (group_id, account_id) values (:g, :a)")
			.param("g", groupId)
			.param("a", user.id())
			.update();
		for (String permission : permissions) {
			jdbc.sql("insert into group_permission (group_id, permission_name) values (:g, :p)")
				.param("g", groupId)
				.param("p", permission)
				.update();
		}
		return user;
	}

	public SignedInUser superAdmin() {
		return insert(true);
	}

	/** MockMvc post-processor: the request is made by this user. */
	public static RequestPostProcessor as(SignedInUser user) {
		Authentication token = UsernamePasswordAuthenticationToken.authenticated(user, null, List.of());
		return authentication(token);
	}

	private SignedInUser insert(boolean superAdmin) {
		String username = "user" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
		GeneratedKeyHolder keys = new GeneratedKeyHolder();
		jdbc.sql("""
				insert into account (username, username_key, firstname, lastname, email, password_hash, active,
				                     super_admin, version, created_at, updated_at)
				values (:username, :username, 'Test', 'User', '', '{noop}unused', true, :superAdmin, 1, :now, :now)
				""")
			.param("username", username)
			.param("superAdmin", superAdmin)
			.param("now", OffsetDateTime.now(ZoneOffset.UTC))
			.update(keys, "id");
		return new SignedInUser(keys.getKey().longValue(), username, "Test User", superAdmin);
	}

}
