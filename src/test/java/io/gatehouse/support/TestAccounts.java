package io.gatehouse.support;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.gatehouse.accounts.User;
import io.gatehouse.signin.SignedInUser;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;

/**
 * Test accounts with defaults: {@code TestAccounts.user().permissions("view-users").create(jdbc)}. Rows are written
 * straight to the database, so any module's test can set up its actors without already having one. Requests made
 * {@link #as} a user go through the real {@code AccountAuthorityFilter}, which loads the permissions from the
 * database as in production. The password is {@link #PASSWORD} unless set; the username is unique unless set.
 */
public final class TestAccounts {

	public static final String PASSWORD = "correct horse battery";

	private static final String HASH = PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(PASSWORD);

	private static final String COLUMNS = "id, username, firstname, lastname, email, active, super_admin, "
			+ "service_account, version, created_at, updated_at";

	private static final AtomicInteger SEQUENCE = new AtomicInteger();

	private String username = "user" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);

	private String firstname = "Test";

	private String lastname = "User";

	private String email = "";

	private boolean active = true;

	private boolean superAdmin;

	private String hash = HASH;

	private final List<String> permissions = new ArrayList<>();

	private final List<String> groupPermissions = new ArrayList<>();

	private final List<Long> groups = new ArrayList<>();

	private TestAccounts() {
	}

	/** A new active user, not a super admin, holding nothing until told otherwise. */
	public static TestAccounts user() {
		return new TestAccounts();
	}

	public TestAccounts username(String username) {
		this.username = username;
		return this;
	}

	public TestAccounts name(String firstname, String lastname) {
		this.firstname = firstname;
		this.lastname = lastname;
		return this;
	}

	public TestAccounts email(String email) {
		this.email = email;
		return this;
	}

	public TestAccounts inactive() {
		this.active = false;
		return this;
	}

	public TestAccounts superAdmin() {
		this.superAdmin = true;
		return this;
	}

	public TestAccounts password(String password) {
		this.hash = PasswordEncoderFactories.createDelegatingPasswordEncoder().encode(password);
		return this;
	}

	/** Permissions granted directly. */
	public TestAccounts permissions(String... names) {
		return permissions(List.of(names));
	}

	public TestAccounts permissions(Collection<String> names) {
		permissions.addAll(names);
		return this;
	}

	/** Permissions held only through a new group of which the user is the only member. */
	public TestAccounts permissionsThroughGroup(String... names) {
		return permissionsThroughGroup(List.of(names));
	}

	public TestAccounts permissionsThroughGroup(Collection<String> names) {
		groupPermissions.addAll(names);
		return this;
	}

	/** Makes the user a member of an existing group. */
	public TestAccounts inGroup(long groupId) {
		groups.add(groupId);
		return this;
	}

	public User create(JdbcClient jdbc) {
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		GeneratedKeyHolder keys = new GeneratedKeyHolder();
		jdbc.sql("""
				insert into account (username, username_key, firstname, lastname, email, password_hash, active,
				                     super_admin, version, created_at, updated_at)
				values (:username, :key, :firstname, :lastname, :email, :hash, :active, :superAdmin, 1, :now, :now)
				""")
			.param("username", username)
			.param("key", key(username))
			.param("firstname", firstname)
			.param("lastname", lastname)
			.param("email", email)
			.param("hash", hash)
			.param("active", active)
			.param("superAdmin", superAdmin)
			.param("now", now)
			.update(keys, "id");
		long id = keys.getKey().longValue();
		permissions.forEach(name -> jdbc
			.sql("insert into account_permission (account_id, permission_name) values (:id, :name)")
			.param("id", id)
			.param("name", name)
			.update());
		List<Long> memberOf = new ArrayList<>(groups);
		if (!groupPermissions.isEmpty()) {
			memberOf.add(newGroup(jdbc, groupPermissions, now));
		}
		memberOf.forEach(group -> jdbc.sql("insert into group_member (group_id, account_id) values (:group, :id)")
			.param("group", group)
			.param("id", id)
			.update());
		return find(jdbc, id);
	}

	/** The account as it is in the database now. */
	public static User find(JdbcClient jdbc, long id) {
		return jdbc.sql("select " + COLUMNS + " from account where id = :id")
			.param("id", id)
			.query(TestAccounts::user)
			.single();
	}

	/** The account with this username (case-insensitive) as it is in the database now. */
	public static User find(JdbcClient jdbc, String username) {
		return jdbc.sql("select " + COLUMNS + " from account where username_key = :key")
			.param("key", key(username))
			.query(TestAccounts::user)
			.single();
	}

	/** MockMvc post-processor: the request is made by this user. */
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

	/** Runs service code as the user (outside MockMvc) and returns what it returns. */
	public static <T> T call(User user, java.util.function.Supplier<T> action) {
		java.util.concurrent.atomic.AtomicReference<T> result = new java.util.concurrent.atomic.AtomicReference<>();
		runAs(user, () -> result.set(action.get()));
		return result.get();
	}

	public static SignedInUser signedIn(User user) {
		return new SignedInUser(user.id(), user.username(), user.displayName(), user.superAdmin());
	}

	private static long newGroup(JdbcClient jdbc, List<String> permissions, OffsetDateTime now) {
		GeneratedKeyHolder keys = new GeneratedKeyHolder();
		String name = "group-" + UUID.randomUUID();
		jdbc.sql("""
				insert into user_group (name, name_key, description, version, created_at, updated_at)
				values (:name, :name, '', 1, :now, :now)
				""").param("name", name).param("now", now).update(keys, "id");
		long groupId = keys.getKey().longValue();
		permissions.forEach(permission -> jdbc
			.sql("insert into group_permission (group_id, permission_name) values (:g, :p)")
			.param("g", groupId)
			.param("p", permission)
			.update());
		return groupId;
	}

	private static String key(String username) {
		return username.trim().toLowerCase(Locale.ROOT);
	}

	private static User user(ResultSet rs, int row) throws SQLException {
		return new User(rs.getLong("id"), rs.getString("username"), rs.getString("firstname"),
				rs.getString("lastname"), rs.getString("email"), rs.getBoolean("active"), rs.getBoolean("super_admin"),
				rs.getInt("version"), rs.getObject("created_at", OffsetDateTime.class),
				rs.getObject("updated_at", OffsetDateTime.class), rs.getBoolean("service_account"));
	}

}
