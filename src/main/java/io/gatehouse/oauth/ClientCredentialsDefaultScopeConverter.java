package io.gatehouse.oauth;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.util.MultiValueMap;

/**
 * A client credentials request that names no scope asks for the REST API (RFC 6749 3.3 lets the server pick a
 * default). Requests that name scopes are left to Spring's own converter, which validates them.
 */
final class ClientCredentialsDefaultScopeConverter implements AuthenticationConverter {

	@Override
	public @Nullable Authentication convert(HttpServletRequest request) {
		// the form body only, as Spring's converter reads it (RFC 6749 4.4.2)
		MultiValueMap<String, String> form = FormParameters.of(request);
		if (!AuthorizationGrantType.CLIENT_CREDENTIALS.getValue().equals(form.getFirst(OAuth2ParameterNames.GRANT_TYPE))
				|| form.containsKey(OAuth2ParameterNames.SCOPE)) {
			return null;
		}
		Map<String, Object> additional = new HashMap<>();
		form.forEach((name, values) -> {
			if (!name.equals(OAuth2ParameterNames.GRANT_TYPE) && !name.equals(OAuth2ParameterNames.CLIENT_ID)
					&& !name.equals(OAuth2ParameterNames.CLIENT_SECRET)) {
				additional.put(name, values.size() == 1 ? values.get(0) : values.toArray(String[]::new));
			}
		});
		Authentication client = SecurityContextHolder.getContext().getAuthentication();
		return new OAuth2ClientCredentialsAuthenticationToken(client, Set.of(Scopes.API), additional);
	}

}
