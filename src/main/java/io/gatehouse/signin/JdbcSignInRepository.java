package io.gatehouse.signin;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import io.gatehouse.database.NameKeys;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The two reads on every signed-in request and every login; both are primary-key or unique-index hits. Reads the
 * accounts module's tables ({@code account}, {@code account_permission}, {@code group_member},
 * {@code group_permission}) and never writes them: sign-in must cost one query per step, not a call per table.
 */
@Repository
class JdbcSignInRepository {

	private final JdbcClient jdbc;

	JdbcSignInRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<AccountUserDetails> findByUsername(String username) {
		return jdbc.sql("""
				select id, username, firstname, lastname, password_hash, active, super_admin, service_account
				from account where username_key = :key
				""")
			.param("key", NameKeys.of(username))
			.query((rs, i) -> new AccountUserDetails(
					SignedInUser.of(rs.getLong("id"), rs.getString("username"), rs.getString("firstname"),
							rs.getString("lastname"), rs.getBoolean("super_admin")),
					// a service account never signs in: it is used only through its client's tokens
					rs.getString("password_hash"), rs.getBoolean("active") && !rs.getBoolean("service_account")))
			.optional();
	}

	/** The account as it is now, if it exists and is active. */
	Optional<SignedInUser> findActive(long id) {
		return jdbc.sql("""
				select id, username, firstname, lastname, super_admin
				from account where id = :id and active = true
				""")
			.param("id", id)
			.query((rs, i) -> SignedInUser.of(rs.getLong("id"), rs.getString("username"), rs.getString("firstname"),
					rs.getString("lastname"), rs.getBoolean("super_admin")))
			.optional();
	}

	Optional<String> email(long id) {
		return jdbc.sql("select email from account where id = :id").param("id", id).query(String.class).optional();
	}

	/** Permissions held directly or through any group (not counting the super admin flag). */
	Set<String> grantedPermissions(long accountId) {
		return new HashSet<>(jdbc.sql("""
				select permission_name from account_permission where account_id = :id
				union
				select gp.permission_name
				from group_member gm join group_permission gp on gp.group_id = gm.group_id
				where gm.account_id = :id
				""").param("id", accountId).query(String.class).list());
	}

}
