package io.gatehouse.accounts;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;

/**
 * Test users with defaults: {@code TestUsers.user().permissions("view-users").create(jdbc)}. Rows are written
 * straight to the database, so a test can set up its actors without already having one; the password is
 * {@link #PASSWORD} unless set.
 */
public final class TestUsers {

	public static final String PASSWORD = "correct horse battery";

	private static final String HASH = PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(PASSWORD);

	private static final AtomicInteger SEQUENCE = new AtomicInteger();

	private String username = "user" + SEQUENCE.incrementAndGet();

	private String firstname = "Test";

	private String lastname = "User";

	private String email = "";

	private boolean active = true;

	private boolean superAdmin;

	private String hash = HASH;

	private final List<String> permissions = new ArrayList<>();

	private final List<Long> groups = new ArrayList<>();

	private TestUsers() {
	}

	public static TestUsers user() {
		return new TestUsers();
	}

	public TestUsers username(String username) {
		this.username = username;
		return this;
	}

	public TestUsers name(String firstname, String lastname) {
		this.firstname = firstname;
		this.lastname = lastname;
		return this;
	}

	public TestUsers email(String email) {
		this.email = email;
		return this;
	}

	public TestUsers inactive() {
		this.active = false;
		return this;
	}

	public TestUsers superAdmin() {
		this.superAdmin = true;
		return this;
	}

	public TestUsers password(String password) {
		this.hash = PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(password);
		return this;
	}

	public TestUsers permissions(String... names) {
		permissions.addAll(List.of(names));
		return this;
	}

	public TestUsers inGroup(long groupId) {
		groups.add(groupId);
		return this;
	}

	public User create(JdbcClient jdbc) {
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		jdbc.sql("""
				insert into account (username, username_key, firstname, lastname, email, password_hash, active,
				                     super_admin, version, created_at, updated_at)
				values (:username, :key, :firstname, :lastname, :email, :hash, :active, :superAdmin, 1, :now, :now)
				""")
			.param("username", username)
			.param("key", AccountKeys.of(username))
			.param("firstname", firstname)
			.param("lastname", lastname)
			.param("email", email)
			.param("hash", hash)
			.param("active", active)
			.param("superAdmin", superAdmin)
			.param("now", now)
			.update();
		User user = find(jdbc, username);
		permissions.forEach(name -> jdbc
			.sql("insert into account_permission (account_id, permission_name) values (:id, :name)")
			.param("id", user.id())
			.param("name", name)
			.update());
		groups.forEach(group -> jdbc.sql("insert into group_member (group_id, account_id) values (:group, :id)")
			.param("group", group)
			.param("id", user.id())
			.update());
		return user;
	}

	public static User find(JdbcClient jdbc, String username) {
		return jdbc.sql("""
				select id, username, firstname, lastname, email, active, super_admin, version, created_at, updated_at
				from account where username_key = :key
				""").param("key", AccountKeys.of(username)).query(JdbcUserRepository::user).single();
	}

	/** Signs the request in as the user; the real filter then loads the user's permissions from the database. */
	public static RequestPostProcessor as(User user) {
		return authentication(UsernamePasswordAuthenticationToken.authenticated(signedIn(user), null, List.of()));
	}

	/** Runs service code as the user (outside MockMvc). */
	public static void runAs(User user, Runnable action) {
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(signedIn(user), null, List.of()));
		try {
			action.run();
		}
		finally {
			SecurityContextHolder.clearContext();
		}
	}

	private static SignedInUser signedIn(User user) {
		return new SignedInUser(user.id(), user.username(), user.displayName(), user.superAdmin());
	}

}
