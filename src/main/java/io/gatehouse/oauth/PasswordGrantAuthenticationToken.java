package io.gatehouse.oauth;

import java.util.Map;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;

/** A token request with {@code grant_type=password} (RFC 6749 4.3), after client authentication. */
final class PasswordGrantAuthenticationToken extends OAuth2AuthorizationGrantAuthenticationToken {

	private final String username;

	private final String password;

	private final Set<String> scopes;

	PasswordGrantAuthenticationToken(String username, String password, Set<String> scopes,
			Authentication clientPrincipal, Map<String, Object> additionalParameters) {
		super(AuthClientRegisteredClientRepository.PASSWORD, clientPrincipal, additionalParameters);
		this.username = username;
		this.password = password;
		this.scopes = Set.copyOf(scopes);
	}

	String username() {
		return username;
	}

	String password() {
		return password;
	}

	Set<String> scopes() {
		return scopes;
	}

	@Override
	public String toString() {
		return "PasswordGrantAuthenticationToken[username=" + username + ", password=(hidden)]";
	}

}
