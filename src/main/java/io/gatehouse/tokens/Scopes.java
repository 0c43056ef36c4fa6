package io.gatehouse.tokens;

import java.util.Set;

/** The scopes a client may ask for. {@code api} is the REST API, acting as the user within their own permissions. */
final class Scopes {

	static final String API = "api";

	static final Set<String> ALL = Set.of(API, "openid", "profile", "email");

	private Scopes() {
	}

}
