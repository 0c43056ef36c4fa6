package io.gatehouse.oauth;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import io.gatehouse.signin.SignedInUser;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2DeviceAuthorizationResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.http.converter.OAuth2DeviceAuthorizationResponseHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceAuthorizationRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceCodeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceVerificationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceVerificationAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2DeviceAuthorizationRequestAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The device authorization grant (RFC 8628) with Spring's endpoints and providers, and what Gatehouse adds to them:
 * a request that names no scope asks for the REST API; the response names the polling interval; the token endpoint
 * serves only clients with the grant enabled and answers {@code slow_down} to a device that polls too fast
 * ({@link DevicePolling}); the user is always asked (RFC 8628 5.4: the user confirms the code and the client on
 * every device); wrong user codes are throttled per user ({@link DeviceCodeThrottle}); and the verification page,
 * {@code /device}, shows each outcome in the console rather than Spring's plain error.
 */
final class DeviceAuthorization {

	/** The device authorization endpoint (RFC 8628 3.1). */
	static final String AUTHORIZATION_ENDPOINT = "/oauth/device_authorization";

	/** The verification URI (RFC 8628 3.2), a console page; the consent step is {@code /device/consent}. */
	static final String VERIFICATION_URI = "/device";

	static final String CONSENT_PAGE = "/device/consent";

	static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc8628#section-3.5";

	/** The error the verification page shows when the user has entered too many wrong codes. */
	static final String TOO_MANY_CODES = "too_many_codes";

	private DeviceAuthorization() {
	}

	/** RFC 8628 3.1 with RFC 6749 3.3: no scope named means the REST API, as for client credentials. */
	static AuthenticationConverter defaultScopeConverter() {
		OAuth2DeviceAuthorizationRequestAuthenticationConverter spring =
				new OAuth2DeviceAuthorizationRequestAuthenticationConverter();
		return request -> {
			Authentication converted = spring.convert(request);
			if (converted instanceof OAuth2DeviceAuthorizationRequestAuthenticationToken token
					&& !FormParameters.of(request).containsKey(OAuth2ParameterNames.SCOPE)
					&& token.getAuthorizationUri() != null) {
				return new OAuth2DeviceAuthorizationRequestAuthenticationToken((Authentication) token.getPrincipal(),
						token.getAuthorizationUri(), Set.of(Scopes.API), token.getAdditionalParameters());
			}
			return converted;
		};
	}

	/** RFC 8628 3.2: Spring's response, with the {@code interval} the device is held to. */
	static AuthenticationSuccessHandler authorizationResponse() {
		OAuth2DeviceAuthorizationResponseHttpMessageConverter converter =
				new OAuth2DeviceAuthorizationResponseHttpMessageConverter();
		return (request, response, authentication) -> {
			OAuth2DeviceAuthorizationRequestAuthenticationToken issued =
					(OAuth2DeviceAuthorizationRequestAuthenticationToken) authentication;
			UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(base(request)).path(VERIFICATION_URI);
			String verificationUri = uri.build().toUriString();
			String complete = uri.queryParam(OAuth2ParameterNames.USER_CODE, issued.getUserCode().getTokenValue())
				.build()
				.toUriString();
			converter.write(OAuth2DeviceAuthorizationResponse.with(issued.getDeviceCode(), issued.getUserCode())
				.verificationUri(verificationUri)
				.verificationUriComplete(complete)
				.interval(DevicePolling.INTERVAL_SECONDS)
				.build(), null, new ServletServerHttpResponse(response));
		};
	}

	/**
	 * RFC 8628 4 names {@code device_authorization_endpoint} in the authorization server metadata, which Spring
	 * adds; the OpenID Connect discovery document gets it too, for clients that read only that one.
	 */
	static void endpointClaim(java.util.Map<String, Object> claims) {
		String issuer = AuthorizationServerContextHolder.getContext().getIssuer();
		claims.put("device_authorization_endpoint",
				UriComponentsBuilder.fromUriString(issuer).path(AUTHORIZATION_ENDPOINT).build().toUriString());
	}

	/** The token endpoint's device code grant: Spring's provider behind the grant and polling checks. */
	static void tokenGrant(List<AuthenticationProvider> providers, DevicePolling polling) {
		providers.replaceAll(provider -> provider instanceof OAuth2DeviceCodeAuthenticationProvider spring
				? new TokenGrant(spring, polling) : provider);
	}

	/** The verification endpoint: Spring's provider, asking every time, behind the throttle. */
	static void verification(List<AuthenticationProvider> providers, DeviceCodeThrottle throttle) {
		providers.replaceAll(provider -> {
			if (provider instanceof OAuth2DeviceVerificationAuthenticationProvider spring) {
				spring.setAuthorizationConsentRequired(context -> true);
				return new Verification(spring, throttle);
			}
			return provider;
		});
	}

	/** The verification page after the user allowed the device. */
	static AuthenticationSuccessHandler verified() {
		return (request, response, authentication) -> redirect(request, response, "?approved");
	}

	/**
	 * The verification page with what went wrong: denied, a wrong or expired code, too many wrong codes. A signed-out
	 * browser (one that followed {@code verification_uri_complete}) is sent to sign in first, and then back with its
	 * code: Spring's endpoint checks the code before the chain would ask for a sign-in.
	 */
	static AuthenticationFailureHandler verificationFailed() {
		RequestCache requests = requestCache();
		return (request, response, exception) -> {
			if (SignedInUser.current().isEmpty()) {
				requests.saveRequest(request, response);
				response.sendRedirect(request.getContextPath() + "/login");
				return;
			}
			String code = exception instanceof OAuth2AuthenticationException oauth ? oauth.getError().getErrorCode()
					: OAuth2ErrorCodes.INVALID_REQUEST;
			redirect(request, response, OAuth2ErrorCodes.ACCESS_DENIED.equals(code) ? "?denied"
					: "?error=" + (TOO_MANY_CODES.equals(code) ? TOO_MANY_CODES : "invalid_code"));
		};
	}

	/**
	 * The configured issuer or, without one, this request's scheme, host, port and context path, as Spring's filter
	 * resolves its verification URI. Not the issuer Spring resolves from the request: it strips the first endpoint
	 * path the request path contains, and {@code /oauth/device_authorization} contains {@code /device}.
	 */
	private static String base(HttpServletRequest request) {
		String issuer = AuthorizationServerContextHolder.getContext().getAuthorizationServerSettings().getIssuer();
		if (issuer != null) {
			return issuer;
		}
		return UriComponentsBuilder.fromUriString(request.getRequestURL().toString())
			.replacePath(request.getContextPath())
			.replaceQuery(null)
			.build()
			.toUriString();
	}

	/**
	 * Where a browser sent to sign in comes back to: the request it made, and for the verification page with its
	 * user code, which the query string Spring would save has masked for the logs
	 * ({@code operations.MaskedQueryStringFilter}).
	 */
	static RequestCache requestCache() {
		return new HttpSessionRequestCache() {
			@Override
			public void saveRequest(HttpServletRequest request, HttpServletResponse response) {
				String userCode = request.getParameter(OAuth2ParameterNames.USER_CODE);
				if (userCode == null) {
					super.saveRequest(request, response);
					return;
				}
				String query = OAuth2ParameterNames.USER_CODE + "="
						+ URLEncoder.encode(userCode, StandardCharsets.UTF_8);
				super.saveRequest(new HttpServletRequestWrapper(request) {
					@Override
					public String getQueryString() {
						return query;
					}
				}, response);
			}
		};
	}

	private static void redirect(HttpServletRequest request, HttpServletResponse response, String query)
			throws IOException {
		response.sendRedirect(request.getContextPath() + VERIFICATION_URI + query);
	}

	private static OAuth2AuthenticationException error(String code, String description) {
		return new OAuth2AuthenticationException(new OAuth2Error(code, description, ERROR_URI));
	}

	/** RFC 8628 3.4 and 3.5 at the token endpoint. */
	private static final class TokenGrant implements AuthenticationProvider {

		private final OAuth2DeviceCodeAuthenticationProvider spring;

		private final DevicePolling polling;

		TokenGrant(OAuth2DeviceCodeAuthenticationProvider spring, DevicePolling polling) {
			this.spring = spring;
			this.polling = polling;
		}

		@Override
		public @Nullable Authentication authenticate(Authentication authentication) throws AuthenticationException {
			OAuth2DeviceCodeAuthenticationToken request = (OAuth2DeviceCodeAuthenticationToken) authentication;
			if (request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
					&& client.getRegisteredClient() != null && !client.getRegisteredClient()
						.getAuthorizationGrantTypes()
						.contains(AuthorizationGrantType.DEVICE_CODE)) {
				// Spring's provider would serve any client that holds a device code; the grant may have been disabled
				throw error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
						"The client is not allowed the device authorization grant.");
			}
			Optional<Integer> slowDown = polling.tooSoon(request.getDeviceCode());
			if (slowDown.isPresent()) {
				throw error("slow_down", "Poll no more than once every " + slowDown.get() + " seconds.");
			}
			return spring.authenticate(authentication);
		}

		@Override
		public boolean supports(Class<?> authentication) {
			return spring.supports(authentication);
		}

	}

	/** RFC 8628 3.3 and 5.1: the user's code checked, at a bounded rate of wrong ones. */
	private static final class Verification implements AuthenticationProvider {

		private final OAuth2DeviceVerificationAuthenticationProvider spring;

		private final DeviceCodeThrottle throttle;

		Verification(OAuth2DeviceVerificationAuthenticationProvider spring, DeviceCodeThrottle throttle) {
			this.spring = spring;
			this.throttle = throttle;
		}

		@Override
		public @Nullable Authentication authenticate(Authentication authentication) throws AuthenticationException {
			OAuth2DeviceVerificationAuthenticationToken request =
					(OAuth2DeviceVerificationAuthenticationToken) authentication;
			Long accountId = request.getPrincipal() instanceof Authentication user
					&& user.getPrincipal() instanceof SignedInUser signedIn ? signedIn.id() : null;
			if (accountId == null) {
				throw error(OAuth2ErrorCodes.INVALID_REQUEST, "Sign in to enter a device code.");
			}
			if (!throttle.attempt(accountId)) {
				throw error(TOO_MANY_CODES, "Too many wrong codes; try again later.");
			}
			Authentication verified;
			try {
				verified = spring.authenticate(authentication);
			}
			catch (OAuth2AuthenticationException ex) {
				if (!OAuth2ErrorCodes.INVALID_GRANT.equals(ex.getError().getErrorCode())) {
					// not a wrong code (unknown, expired and used ones are invalid_grant)
					throttle.succeeded(accountId);
				}
				throw ex;
			}
			throttle.succeeded(accountId);
			return verified;
		}

		@Override
		public boolean supports(Class<?> authentication) {
			return spring.supports(authentication);
		}

	}

}
