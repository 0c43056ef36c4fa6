package io.gatehouse.accounts;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.gatehouse.api.FieldErrors;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.Topics;

import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Service accounts: the accounts that clients act as through the client credentials grant. They are listed with the
 * users and receive permissions and groups like any user, but can never sign in: the login refuses them, and their
 * password hash is of a random value nobody knows. Their username ({@code svc-<client id>}), their password and their
 * deletion belong to their client.
 */
@Component
public class ServiceAccounts {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcUserRepository users;

	private final PasswordEncoder passwordEncoder;

	private final ServiceAccountClients clients;

	private final ChangeSignals signals;

	private volatile @Nullable String unusablePasswordHash;

	ServiceAccounts(JdbcUserRepository users, PasswordEncoder passwordEncoder, ServiceAccountClients clients,
			ChangeSignals signals) {
		this.signals = signals;
		this.users = users;
		this.passwordEncoder = passwordEncoder;
		this.clients = clients;
	}

	/** Creates the service account of a client and returns its id; joins the caller's transaction. */
	public long createFor(String clientId, String clientName) {
		return users.insertServiceAccount("svc-" + clientId, firstname(clientName), unusablePasswordHash());
	}

	/**
	 * {@link #createFor} for many clients at once, in batches: the ids of their service accounts, in the order of
	 * {@code clientIdsAndNames} (client id, then client name, per client).
	 */
	public List<Long> createAllFor(List<Map.Entry<String, String>> clientIdsAndNames) {
		return users.insertServiceAccounts(clientIdsAndNames.stream()
			.map(client -> Map.entry("svc-" + client.getKey(), firstname(client.getValue())))
			.toList(), unusablePasswordHash());
	}

	/**
	 * The hash of 256 random bits that were never stored nor shown, made once per node: the login refuses service
	 * accounts anyway, and a bcrypt per account (about 100 ms) made 5,000 new service accounts take ten minutes.
	 */
	private String unusablePasswordHash() {
		String hash = unusablePasswordHash;
		if (hash == null) {
			byte[] unknown = new byte[32];
			RANDOM.nextBytes(unknown);
			hash = passwordEncoder.encode(Base64.getEncoder().encodeToString(unknown));
			unusablePasswordHash = hash;
		}
		return hash;
	}

	/** Activates or deactivates a client's service account (its tokens stop working while it is inactive). */
	public void setActive(long accountId, boolean active) {
		users.setServiceAccountActive(accountId, active);
		signals.publish(Topics.ACCOUNT, Long.toString(accountId));
	}

	/**
	 * The client of each service account among these users, by account id (one query, none when there is no service
	 * account among them).
	 */
	Map<Long, ServiceAccountClients.Client> clientsOf(Collection<User> accounts) {
		List<Long> ids = accounts.stream().filter(User::serviceAccount).map(User::id).toList();
		return ids.isEmpty() ? Map.of() : clients.clientsOf(ids);
	}

	/** The name of the service account's client, as refusals name it. */
	String clientName(User serviceAccount) {
		ServiceAccountClients.Client client = clientsOf(List.of(serviceAccount)).get(serviceAccount.id());
		return client == null ? "(unknown)" : client.name();
	}

	/** A service account's username is {@code svc-<client id>} and it never signs in: both belong to its client. */
	void refuseWhatBelongsToTheClient(FieldErrors errors, User current, String username, boolean newPassword) {
		if (!errors.has("username") && !username.equals(current.username())) {
			errors.add("username", "The username of a service account is set by its client \"" + clientName(current)
					+ "\".");
		}
		if (newPassword) {
			errors.add("password", "A service account never signs in, so it has no password.");
		}
	}

	/** The client's name, cut to 200 characters without splitting a surrogate pair. */
	private static String firstname(String clientName) {
		if (clientName.length() <= 200) {
			return clientName;
		}
		return clientName.substring(0, Character.isHighSurrogate(clientName.charAt(199)) ? 199 : 200);
	}

}
