package io.gatehouse.oauth;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.util.MultiValueMap;

/**
 * Reads a password grant token request from the form body (RFC 6749 4.3.2); returns null for every other
 * {@code grant_type}. The query string is never read: {@code FormBodyOnlyFilter} has already refused a request that
 * put any of these parameters there.
 */
final class PasswordGrantAuthenticationConverter implements AuthenticationConverter {

	// RFC 6749 4.3.2 parameter names (Spring Security dropped its constants with the grant)
	static final String USERNAME = "username";

	static final String PASSWORD = "password";

	@Override
	public @Nullable Authentication convert(HttpServletRequest request) {
		MultiValueMap<String, String> form = FormParameters.of(request);
		if (!AuthClientRegisteredClientRepository.PASSWORD.getValue()
			.equals(form.getFirst(OAuth2ParameterNames.GRANT_TYPE))) {
			return null;
		}
		// RFC 6749 4.3.2: username and password (REQUIRED), scope (OPTIONAL), each at most once
		String username = single(form, USERNAME);
		String password = single(form, PASSWORD);
		String scope = optional(form, OAuth2ParameterNames.SCOPE);
		Set<String> scopes = scope == null || scope.isBlank() ? Set.of()
				: new LinkedHashSet<>(List.of(scope.trim().split("\\s+")));
		Map<String, Object> additional = new HashMap<>();
		form.forEach((name, values) -> {
			if (!List.of(OAuth2ParameterNames.GRANT_TYPE, USERNAME, PASSWORD,
					OAuth2ParameterNames.SCOPE, OAuth2ParameterNames.CLIENT_ID, OAuth2ParameterNames.CLIENT_SECRET)
				.contains(name)) {
				additional.put(name, values.size() == 1 ? values.get(0) : values.toArray(String[]::new));
			}
		});
		Authentication client = SecurityContextHolder.getContext().getAuthentication();
		return new PasswordGrantAuthenticationToken(username, password, scopes, client, additional);
	}

	private static String single(MultiValueMap<String, String> form, String name) {
		String value = optional(form, name);
		if (value == null || value.isEmpty()) {
			throw invalidRequest(name);
		}
		return value;
	}

	private static @Nullable String optional(MultiValueMap<String, String> form, String name) {
		List<String> values = form.get(name);
		if (values != null && values.size() > 1) {
			throw invalidRequest(name);
		}
		return values == null ? null : values.get(0);
	}

	private static OAuth2AuthenticationException invalidRequest(String parameter) {
		return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
				"OAuth 2.0 Parameter: " + parameter, "https://datatracker.ietf.org/doc/html/rfc6749#section-5.2"));
	}

}
