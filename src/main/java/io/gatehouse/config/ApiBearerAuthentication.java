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
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.stereotype.Component;

/**
 * How the REST API checks an {@code Authorization: Bearer} token, by its kind: personal access tokens
 * ({@code gtpat_...}, one hash-index read) or this server's JWT access tokens (verified in-process, then one
 * primary-key read for revocation). {@link SecurityConfiguration} plugs this into the API chain.
 */
@Component
class ApiBearerAuthentication implements AuthenticationManagerResolver<HttpServletRequest> {

	private final DefaultBearerTokenResolver bearerTokens = new DefaultBearerTokenResolver();

	private final AuthenticationManager counted;

	private final AuthenticationManager countedPersonal;

	ApiBearerAuthentication(AccessTokenAuthenticationManager accessTokens,
			PersonalAccessTokenAuthenticationManager personalAccessTokens, MeterRegistry registry) {
		this.counted = counting(accessTokens::authenticate, "access_token", registry);
		this.countedPersonal = counting(personalAccessTokens::authenticate, "personal_access_token", registry);
	}

	@Override
	public AuthenticationManager resolve(HttpServletRequest request) {
		String token = bearerTokens.resolve(request);
		return token != null && PersonalAccessToken.hasFormat(token) ? countedPersonal : counted;
	}

	/**
	 * {@code gatehouse.api.bearer.authentications} by token kind and result (accepted, rejected): two counters per
	 * kind, made once, so counting costs an increment.
	 */
	private static AuthenticationManager counting(AuthenticationManager manager, String kind, MeterRegistry registry) {
		Counter accepted = bearerCounter(registry, kind, "accepted");
		Counter rejected = bearerCounter(registry, kind, "rejected");
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

	/** Whether the request carries a bearer token (such requests need no CSRF token: no cookie authenticates them). */
	static boolean hasBearerToken(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
	}

}
