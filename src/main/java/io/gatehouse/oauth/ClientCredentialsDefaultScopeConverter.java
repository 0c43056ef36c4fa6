package io.gatehouse.oauth;

import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Spring's reading of a client credentials request (RFC 6749 4.4.2, with its duplicate-parameter checks and the DPoP
 * proof of RFC 9449), where a request that names no scope asks for the REST API: RFC 6749 3.3 lets the server pick a
 * default. A request that names a scope, even an empty one, keeps what it named.
 */
final class ClientCredentialsDefaultScopeConverter implements AuthenticationConverter {

	private final OAuth2ClientCredentialsAuthenticationConverter spring =
			new OAuth2ClientCredentialsAuthenticationConverter();

	@Override
	public @Nullable Authentication convert(HttpServletRequest request) {
		Authentication converted = spring.convert(request);
		// the form body only, as Spring's converter reads it
		if (converted instanceof OAuth2ClientCredentialsAuthenticationToken token
				&& !FormParameters.of(request).containsKey(OAuth2ParameterNames.SCOPE)) {
			return new OAuth2ClientCredentialsAuthenticationToken((Authentication) token.getPrincipal(),
					Set.of(Scopes.API), token.getAdditionalParameters());
		}
		return converted;
	}

}
