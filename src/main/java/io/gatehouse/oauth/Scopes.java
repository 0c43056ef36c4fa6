package io.gatehouse.oauth;

import java.util.Set;

/** The scopes a client may ask for. {@code api} is the REST API, acting as the user within their own permissions. */
public final class Scopes {

	public static final String API = "api";

	public static final Set<String> ALL = Set.of(API, "openid", "profile", "email");

	private Scopes() {
	}

}
