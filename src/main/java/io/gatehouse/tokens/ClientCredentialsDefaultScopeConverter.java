package io.gatehouse.tokens;

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

/**
 * A client credentials request that names no scope asks for the REST API (RFC 6749 3.3 lets the server pick a
 * default). Requests that name scopes are left to Spring's own converter, which validates them.
 */
final class ClientCredentialsDefaultScopeConverter implements AuthenticationConverter {

	@Override
	public @Nullable Authentication convert(HttpServletRequest request) {
		if (!AuthorizationGrantType.CLIENT_CREDENTIALS.getValue().equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))
				|| request.getParameter(OAuth2ParameterNames.SCOPE) != null) {
			return null;
		}
		Map<String, Object> additional = new HashMap<>();
		request.getParameterMap().forEach((name, values) -> {
			if (!name.equals(OAuth2ParameterNames.GRANT_TYPE) && !name.equals(OAuth2ParameterNames.CLIENT_ID)
					&& !name.equals(OAuth2ParameterNames.CLIENT_SECRET)) {
				additional.put(name, values.length == 1 ? values[0] : values);
			}
		});
		Authentication client = SecurityContextHolder.getContext().getAuthentication();
		return new OAuth2ClientCredentialsAuthenticationToken(client, Set.of(Scopes.API), additional);
	}

}
