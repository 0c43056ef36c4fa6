package io.gatehouse.clients;

import org.jspecify.annotations.Nullable;

/**
 * A client together with its freshly generated secret in plain text: the only time the secret exists outside the
 * client application. Callers show it once and must not store or log it. Public clients have no secret (null).
 */
public record IssuedSecret(AuthClient client, @Nullable String secret) {

	@Override
	public String toString() {
		return "IssuedSecret[client=" + client.id() + ", secret=(hidden)]";
	}

}
