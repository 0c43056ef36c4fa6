package io.gatehouse.accounts;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Service accounts: the accounts that clients act as through the client credentials grant. They are listed with the
 * users and receive permissions and groups like any user, but can never sign in: the login refuses them, and their
 * password hash is of a random value nobody knows.
 */
@Component
public class ServiceAccounts {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	private final PasswordEncoder passwordEncoder;

	ServiceAccounts(JdbcClient jdbc, PasswordEncoder passwordEncoder) {
		this.jdbc = jdbc;
		this.passwordEncoder = passwordEncoder;
	}

	/** Creates the service account of a client and returns its id; joins the caller's transaction. */
	public long createFor(String clientId, String clientName) {
		byte[] unknown = new byte[32];
		RANDOM.nextBytes(unknown);
		String username = "svc-" + clientId;
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		GeneratedKeyHolder keys = new GeneratedKeyHolder();
		jdbc.sql("""
				insert into account (username, username_key, username_skeleton, firstname, lastname, email,
				                     password_hash, active, super_admin, service_account, version, created_at,
				                     updated_at)
				values (:username, :key, :skeleton, :firstname, 'service account', '', :hash, true, false, true, 1,
				        :now, :now)
				""")
			.param("username", username)
			.param("key", AccountKeys.of(username))
			.param("skeleton", Usernames.skeleton(username))
			.param("firstname", firstname(clientName))
			.param("hash", passwordEncoder.encode(Base64.getEncoder().encodeToString(unknown)))
			.param("now", now)
			.update(keys, "id");
		return keys.getKey().longValue();
	}

	/** The client's name, cut to 200 characters without splitting a surrogate pair. */
	private static String firstname(String clientName) {
		if (clientName.length() <= 200) {
			return clientName;
		}
		return clientName.substring(0, Character.isHighSurrogate(clientName.charAt(199)) ? 199 : 200);
	}

	/** Activates or deactivates a client's service account (its tokens stop working while it is inactive). */
	public void setActive(long accountId, boolean active) {
		jdbc.sql("update account set active = :active, version = version + 1, updated_at = :now where id = :id and service_account = true")
			.param("active", active)
			.param("now", OffsetDateTime.now(ZoneOffset.UTC))
			.param("id", accountId)
			.update();
	}

}
