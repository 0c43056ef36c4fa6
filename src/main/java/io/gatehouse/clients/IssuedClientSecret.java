package io.gatehouse.clients;

/**
 * A secret just added, with its value in plain text: the only time the value exists outside the client
 * application. Callers show it once and must not store or log it.
 */
public record IssuedClientSecret(AuthClient client, ClientSecret secret, String value) {

	@Override
	public String toString() {
		return "IssuedClientSecret[client=" + client.id() + ", secret=" + secret.id() + ", value=(hidden)]";
	}

}
