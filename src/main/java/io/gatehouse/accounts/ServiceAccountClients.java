package io.gatehouse.accounts;

import java.util.Collection;
import java.util.Map;

/**
 * Which client each service account acts for. The clients module owns that link (a client names its service account)
 * and answers here, so this module can say whose account it is without depending on clients.
 */
public interface ServiceAccountClients {

	/**
	 * The client of each of these accounts that is some client's service account, by account id; accounts that are no
	 * service account are left out. Deleted clients are included, marked as such.
	 */
	Map<Long, Client> clientsOf(Collection<Long> accountIds);

	/** A service account's client, as the console and the API name it. */
	record Client(String id, String name, boolean deleted) {
	}

}
