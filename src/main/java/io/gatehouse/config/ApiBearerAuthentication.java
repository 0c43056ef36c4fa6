package io.gatehouse.config;

import jakarta.servlet.http.HttpServletRequest;

import io.gatehouse.oauth.AccessTokenAuthenticationManager;
import io.gatehouse.personaltokens.PersonalAccessToken;
import io.gatehouse.personaltokens.PersonalAccessTokenAuthenticationManager;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.stereotype.Component;

/**
 * How the REST API checks an {@code Authorization: Bearer} token, by its kind: personal access tokens
 * ({@code gtpat_...}, one hash-index read) or this server's JWT access tokens (verified in-process, then one
 * primary-key read for revocation). {@link SecurityConfiguration} plugs this into the API chain.
 */
@Component
class ApiBearerAuthentication implements AuthenticationManagerResolver<HttpServletRequest> {

	private final AccessTokenAuthenticationManager accessTokens;

	private final PersonalAccessTokenAuthenticationManager personalAccessTokens;

	private final DefaultBearerTokenResolver bearerTokens = new DefaultBearerTokenResolver();

	ApiBearerAuthentication(AccessTokenAuthenticationManager accessTokens,
			PersonalAccessTokenAuthenticationManager personalAccessTokens) {
		this.accessTokens = accessTokens;
		this.personalAccessTokens = personalAccessTokens;
	}

	@Override
	public AuthenticationManager resolve(HttpServletRequest request) {
		String token = bearerTokens.resolve(request);
		return token != null && PersonalAccessToken.hasFormat(token) ? personalAccessTokens::authenticate
				: accessTokens::authenticate;
	}

	/** Whether the request carries a bearer token (such requests need no CSRF token: no cookie authenticates them). */
	static boolean hasBearerToken(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
	}

}
