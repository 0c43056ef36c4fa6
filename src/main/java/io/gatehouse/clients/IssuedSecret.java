package io.gatehouse.clients;

/**
 * A client together with its freshly generated secret in plain text: the only time the secret exists outside the
 * client application. Callers show it once and must not store or log it.
 */
public record IssuedSecret(AuthClient client, String secret) {

	@Override
	public String toString() {
		return "IssuedSecret[client=" + client.id() + ", secret=(hidden)]";
	}

}
