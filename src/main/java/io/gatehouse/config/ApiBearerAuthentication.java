package io.gatehouse.config;

import jakarta.servlet.http.HttpServletRequest;

import io.gatehouse.oauth.AccessTokenAuthenticationManager;
import io.gatehouse.personaltokens.PersonalAccessToken;
import io.gatehouse.personaltokens.PersonalAccessTokenAuthenticationManager;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.stereotype.Component;

/**
 * How the REST API checks an {@code Authorization: Bearer} token, by its kind: personal access tokens
 * ({@code gtpat_...}, one hash-index read) or this server's JWT access tokens (verified in-process, then one
 * primary-key read for revocation); and {@code Authorization: DPoP} with a DPoP proof for a DPoP-bound access token
 * (RFC 9449 7). {@link SecurityConfiguration} plugs this into the API chain.
 */
@Component
class ApiBearerAuthentication implements AuthenticationManagerResolver<HttpServletRequest> {

	private final DefaultBearerTokenResolver bearerTokens = new DefaultBearerTokenResolver();

	private static final String DPOP_SCHEME = "DPoP ";

	private final AccessTokenAuthenticationManager accessTokens;

	private final Counter[] accessTokenCounters;

	private final AuthenticationManager countedPersonal;

	ApiBearerAuthentication(AccessTokenAuthenticationManager accessTokens,
			PersonalAccessTokenAuthenticationManager personalAccessTokens, MeterRegistry registry) {
		this.accessTokens = accessTokens;
		this.accessTokenCounters = counters("access_token", registry);
		this.countedPersonal = counting(personalAccessTokens::authenticate, counters("personal_access_token",
				registry));
	}

	@Override
	public AuthenticationManager resolve(HttpServletRequest request) {
		String token = hasDPoPToken(request) ? null : bearerTokens.resolve(request);
		// an access token is checked together with the request, which may carry its DPoP proof (RFC 9449 7)
		return token != null && PersonalAccessToken.hasFormat(token) ? countedPersonal
				: counting(authentication -> accessTokens.authenticate(authentication, request), accessTokenCounters);
	}

	/**
	 * The token of {@code Authorization: Bearer} (RFC 6750) or {@code Authorization: DPoP} (RFC 9449 7.1); a
	 * personal access token only as a bearer token.
	 */
	BearerTokenResolver tokenResolver() {
		return request -> {
			if (!hasDPoPToken(request)) {
				return bearerTokens.resolve(request);
			}
			String token = request.getHeader(HttpHeaders.AUTHORIZATION).substring(DPOP_SCHEME.length()).trim();
			if (token.isEmpty() || PersonalAccessToken.hasFormat(token)) {
				throw new InvalidBearerTokenException("Send an access token of this server with the DPoP scheme.");
			}
			return token;
		};
	}

	/** Whether the request sends its token with the DPoP scheme. */
	static boolean hasDPoPToken(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		return header != null && header.regionMatches(true, 0, DPOP_SCHEME, 0, DPOP_SCHEME.length());
	}

	/**
	 * {@code gatehouse.api.bearer.authentications} by token kind and result (accepted, rejected): two counters per
	 * kind, made once, so counting costs an increment.
	 */
	private static Counter[] counters(String kind, MeterRegistry registry) {
		return new Counter[] { bearerCounter(registry, kind, "accepted"), bearerCounter(registry, kind, "rejected") };
	}

	private static AuthenticationManager counting(AuthenticationManager manager, Counter[] counters) {
		Counter accepted = counters[0];
		Counter rejected = counters[1];
		return authentication -> {
			try {
				Authentication result = manager.authenticate(authentication);
				accepted.increment();
				return result;
			}
			catch (AuthenticationException ex) {
				rejected.increment();
				throw ex;
			}
		};
	}

	private static Counter bearerCounter(MeterRegistry registry, String kind, String result) {
		return Counter.builder("gatehouse.api.bearer.authentications")
			.description("Bearer tokens presented to the REST API, by kind and result")
			.tag("kind", kind)
			.tag("result", result)
			.register(registry);
	}

	/**
	 * Whether the request carries a bearer or DPoP token (such requests need no CSRF token: no cookie authenticates
	 * them).
	 */
	static boolean hasBearerToken(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) || hasDPoPToken(request);
	}

}
