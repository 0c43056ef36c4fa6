package io.gatehouse.config;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.gatehouse.accounts.AccountAuthorityFilter;
import io.gatehouse.api.ProblemResponses;
import io.gatehouse.tokens.PersonalAccessTokenAuthenticationManager;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Two chains share one session: the REST API under {@code /api/1.0} answers 401/403 as problem JSON, the console
 * redirects to the login page. CSRF protection covers both, with the token in the {@code XSRF-TOKEN} cookie so a
 * script (or Swagger UI) can echo it in {@code X-XSRF-TOKEN}; console forms carry it as a hidden field.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

	private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
			+ "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
			+ "form-action 'self'; frame-ancestors 'none'";

	private static final BearerTokenAuthenticationEntryPoint BEARER_ENTRY_POINT = new BearerTokenAuthenticationEntryPoint();

	@Bean
	@Order(1)
	SecurityFilterChain apiChain(HttpSecurity http, AccountAuthorityFilter authorities,
			PersonalAccessTokenAuthenticationManager personalAccessTokens) throws Exception {
		http.securityMatcher("/api/1.0/**")
			.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
			// A browser never adds a bearer token on its own, so a request carrying one cannot be forged. Spring's
			// resource server configurer also ignores CSRF for bearer requests; stated here so it survives a change
			// of how bearer tokens are wired.
			.csrf(csrf -> csrf.spa().ignoringRequestMatchers(SecurityConfiguration::carriesBearerToken))
			.oauth2ResourceServer(resourceServer -> resourceServer
				.authenticationManagerResolver(bearerTokenManagers(personalAccessTokens))
				.authenticationEntryPoint(SecurityConfiguration::invalidBearerToken))
			.addFilterAfter(authorities, SecurityContextHolderFilter.class)
			.addFilterAfter(new CsrfCookieFilter(), CsrfFilter.class)
			.requestCache(cache -> cache.disable())
			.exceptionHandling(errors -> errors
				.authenticationEntryPoint(SecurityConfiguration::authenticationRequired)
				.accessDeniedHandler(apiAccessDenied()))
			.headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)));
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain consoleChain(HttpSecurity http, AccountAuthorityFilter authorities) throws Exception {
		http.authorizeHttpRequests(requests -> requests
				.requestMatchers("/login", "/error", "/error/**", "/css/**", "/js/**", "/webjars/**", "/favicon.ico",
						"/api/documentation", "/api/documentation/**", "/api/swagger-ui/**")
				.permitAll()
				.anyRequest()
				.authenticated())
			.formLogin(login -> login.loginPage("/login").failureUrl("/login?error").permitAll())
			.logout(logout -> logout.logoutSuccessUrl("/login?logout").permitAll())
			.csrf(csrf -> csrf.spa())
			.addFilterAfter(authorities, SecurityContextHolderFilter.class)
			.addFilterAfter(new CsrfCookieFilter(), CsrfFilter.class)
			.headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
				.referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)));
		return http.build();
	}

	/** The authority filter runs inside the security chains only, after the session's context is loaded. */
	@Bean
	FilterRegistrationBean<AccountAuthorityFilter> accountAuthorityFilterRegistration(AccountAuthorityFilter filter) {
		FilterRegistrationBean<AccountAuthorityFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setEnabled(false);
		return registration;
	}

	/**
	 * Sends each bearer token to the manager for its kind: {@code gtpat_...} to personal access tokens. A token of
	 * no known kind fails as {@code invalid_token}.
	 */
	private static AuthenticationManagerResolver<HttpServletRequest> bearerTokenManagers(
			PersonalAccessTokenAuthenticationManager personalAccessTokens) {
		DefaultBearerTokenResolver tokens = new DefaultBearerTokenResolver();
		AuthenticationManager unknown = authentication -> {
			throw new InvalidBearerTokenException("The bearer token is not one this server issued.");
		};
		return request -> {
			String token = tokens.resolve(request);
			if (token != null && PersonalAccessTokenAuthenticationManager.handles(token)) {
				return personalAccessTokens;
			}
			return unknown;
		};
	}

	private static boolean carriesBearerToken(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
	}

	/** No credentials at all: the project's problem JSON, and RFC 6750 3's challenge so clients know to send one. */
	private static void authenticationRequired(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException ex) throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		ProblemResponses.write(response, HttpStatus.UNAUTHORIZED, "Authentication is required.");
	}

	/** A bearer token was sent but is unknown, expired or revoked: RFC 6750 3.1 {@code invalid_token}, as JSON too. */
	private static void invalidBearerToken(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException ex) throws IOException {
		BEARER_ENTRY_POINT.commence(request, response, ex);
		ProblemResponses.write(response, HttpStatus.UNAUTHORIZED,
				"The bearer token is invalid, expired or revoked.");
	}

	/**
	 * A missing CSRF token on a request without a session is really "not signed in": answer 401 like the rest of the
	 * API, and 403 only to a signed-in caller.
	 */
	private static AccessDeniedHandler apiAccessDenied() {
		return (request, response, ex) -> {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			if (authentication == null || authentication instanceof AnonymousAuthenticationToken) {
				ProblemResponses.write(response, HttpStatus.UNAUTHORIZED, "Authentication is required.");
			}
			else {
				ProblemResponses.write(response, HttpStatus.FORBIDDEN,
						"You do not have permission to do this, or the X-XSRF-TOKEN header is missing.");
			}
		};
	}

	/** Loads the deferred CSRF token on every response so the XSRF-TOKEN cookie is always there to echo. */
	private static final class CsrfCookieFilter extends OncePerRequestFilter {

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
			if (token != null) {
				token.getToken();
			}
			chain.doFilter(request, response);
		}

	}

}
