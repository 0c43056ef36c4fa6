package io.gatehouse.oauth;

import java.util.Set;

import io.gatehouse.clients.ClientPolicy;

/** The scopes a client may ask for. {@code api} is the REST API, acting as the user within their own permissions. */
public final class Scopes {

	public static final String API = "api";

	public static final Set<String> ALL = ClientPolicy.SCOPES;

	private Scopes() {
	}

}
