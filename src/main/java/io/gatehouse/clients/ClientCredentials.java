package io.gatehouse.clients;

/** A live client and the SHA-256 hash of its secret (never the secret), for client authentication. */
public record ClientCredentials(AuthClient client, String secretHash) {

	@Override
	public String toString() {
		return "ClientCredentials[client=" + client.id() + ", secretHash=(hidden)]";
	}

}
