package io.gatehouse.accounts;

import java.security.SecureRandom;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates the first super admin on the first start, when no user exists yet. Its username and password come from
 * {@code GATEHOUSE_ADMIN_USERNAME} and {@code GATEHOUSE_ADMIN_PASSWORD}; without a password a random one is made and
 * printed once to standard output (deliberately not through the logger, so it never reaches a log file or shipper).
 * Of several nodes starting at once on an empty database, one creates it and the others start without.
 */
@Component
class AdminBootstrap implements SmartInitializingSingleton, ApplicationRunner {

	private final JdbcUserRepository users;

	private final PasswordEncoder passwordEncoder;

	private final TransactionTemplate transactions;

	private final ApplicationContext context;

	private final String username;

	private final String password;

	private boolean generated;

	private boolean created;

	/** The generated password between its creation and the one line that shows it. */
	private @Nullable String generatedPassword;

	AdminBootstrap(JdbcUserRepository users, PasswordEncoder passwordEncoder, TransactionTemplate transactions,
			ApplicationContext context, @Value("${gatehouse.admin.username:admin}") String username,
			@Value("${gatehouse.admin.password:}") String password) {
		this.users = users;
		this.passwordEncoder = passwordEncoder;
		this.transactions = transactions;
		this.context = context;
		this.username = username.trim();
		this.password = password;
	}

	/**
	 * Creates it once every bean exists and before the web server accepts requests, so nobody (an operator, a
	 * script, a readiness probe that then signs in) meets a login page that does not know the admin yet.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		generated = password.isEmpty();
		String chosen = generated ? randomPassword() : password;
		try {
			created = Boolean.TRUE.equals(transactions.execute(status -> createIfNoUserExists(chosen)));
		}
		catch (DuplicateKeyException ex) {
			// several nodes starting at once on an empty database: another one created it between check and insert
			created = false;
		}
		generatedPassword = generated && created ? chosen : null;
	}

	/** Tells the operator, once the server listens and its port is known. */
	@Override
	public void run(ApplicationArguments args) {
		if (created) {
			System.out.println();
			System.out.println("Gatehouse created the first super admin \"" + username + "\".");
			if (generatedPassword != null) {
				System.out.println("  Password (shown this once; change it after logging in): " + generatedPassword);
			}
			System.out.println("  Log in at " + loginUrl());
			System.out.println();
		}
		generatedPassword = null;
	}

	private boolean createIfNoUserExists(String chosenPassword) {
		if (users.anyAccountExists()) {
			return false;
		}
		users.insert(username, "Admin", "", "", true, true, passwordEncoder.encode(chosenPassword));
		return true;
	}

	private String loginUrl() {
		int port = context instanceof WebServerApplicationContext web && web.getWebServer() != null
				? web.getWebServer().getPort() : 8080;
		return "http://localhost:" + port + "/login";
	}

	private static String randomPassword() {
		byte[] bytes = new byte[18];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
