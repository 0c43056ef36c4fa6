package io.gatehouse.config;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.gatehouse.signin.AccountAuthorityFilter;
import io.gatehouse.api.ProblemResponses;
import io.gatehouse.tokens.ApiBearerAuthentication;
import io.gatehouse.web.ContentSecurityPolicy;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.DeferredCsrfToken;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.WebUtils;

/**
 * Two chains share one session: the REST API under {@code /api/1.0} answers 401/403 as problem JSON, the console
 * redirects to the login page. CSRF protection covers both with one token, kept in the session: a request passes
 * only with that token, in the {@code X-XSRF-TOKEN} header or, for console forms, their hidden field. The readable
 * {@code XSRF-TOKEN} cookie is only a copy that lets a script (or Swagger UI) read the token to echo it; it is never
 * compared with anything, so a planted cookie with a matching header proves nothing.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

	private static final String CONTENT_SECURITY_POLICY = ContentSecurityPolicy.CONSOLE;

	/** The cookie Swagger UI ({@code springdoc.swagger-ui.csrf.enabled}) reads the token from. */
	static final String XSRF_COOKIE = "XSRF-TOKEN";

	static final String XSRF_HEADER = "X-XSRF-TOKEN";

	/** One token per session for both chains; the header name is the one Swagger UI and Angular-style clients send. */
	@Bean
	HttpSessionCsrfTokenRepository csrfTokenRepository() {
		HttpSessionCsrfTokenRepository repository = new HttpSessionCsrfTokenRepository();
		repository.setHeaderName(XSRF_HEADER);
		return repository;
	}

	@Bean
	@Order(1)
	SecurityFilterChain apiChain(HttpSecurity http, AccountAuthorityFilter authorities, ApiBearerAuthentication bearer,
			HttpSessionCsrfTokenRepository csrfTokens) throws Exception {
		http.securityMatcher("/api/1.0/**")
			.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
			// a bearer token is not sent by the browser on its own, so it needs no CSRF token; session cookies do
			.csrf(csrf -> csrf.csrfTokenRepository(csrfTokens)
				.csrfTokenRequestHandler(new SessionCsrfTokenRequestHandler())
				.ignoringRequestMatchers(ApiBearerAuthentication::hasBearerToken))
			.oauth2ResourceServer(resourceServer -> resourceServer.authenticationManagerResolver(bearer)
				.authenticationEntryPoint(new ApiAuthenticationEntryPoint()))
			.addFilterAfter(authorities, SecurityContextHolderFilter.class)
			.addFilterAfter(new XsrfCookieFilter(), CsrfFilter.class)
			.requestCache(cache -> cache.disable())
			.exceptionHandling(errors -> errors
				.authenticationEntryPoint(new ApiAuthenticationEntryPoint())
				.accessDeniedHandler(apiAccessDenied()))
			.headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)));
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain consoleChain(HttpSecurity http, AccountAuthorityFilter authorities,
			HttpSessionCsrfTokenRepository csrfTokens) throws Exception {
		http.authorizeHttpRequests(requests -> requests
				.requestMatchers("/login", "/error", "/error/**", "/css/**", "/js/**", "/webjars/**", "/favicon.ico",
						"/api/documentation", "/api/documentation/**", "/api/swagger-ui/**")
				.permitAll()
				.anyRequest()
				.authenticated())
			.formLogin(login -> login.loginPage("/login").failureUrl("/login?error").permitAll())
			.logout(logout -> logout.logoutSuccessUrl("/login?logout").deleteCookies(XSRF_COOKIE).permitAll())
			.csrf(csrf -> csrf.csrfTokenRepository(csrfTokens)
				.csrfTokenRequestHandler(new SessionCsrfTokenRequestHandler()))
			.addFilterAfter(authorities, SecurityContextHolderFilter.class)
			.addFilterAfter(new XsrfCookieFilter(), CsrfFilter.class)
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
	 * A missing CSRF token on a request without a session is really "not signed in": answer 401 like the rest of the
	 * API, and 403 only to a signed-in caller.
	 */
	private static AccessDeniedHandler apiAccessDenied() {
		return (request, response, ex) -> {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			if (authentication == null || authentication instanceof AnonymousAuthenticationToken) {
				new ApiAuthenticationEntryPoint().commence(request, response, null);
			}
			else if (ApiBearerAuthentication.hasBearerToken(request) && authentication.getAuthorities()
				.stream()
				.noneMatch(authority -> "SCOPE_api".equals(authority.getAuthority()))) {
				// RFC 6750 3.1: the token is fine but was not granted the scope the REST API needs
				response.setHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"api\"");
				ProblemResponses.write(response, HttpStatus.FORBIDDEN, "The token was not granted the api scope.");
			}
			else {
				ProblemResponses.write(response, HttpStatus.FORBIDDEN,
						"You do not have permission to do this, or the X-XSRF-TOKEN header is missing.");
			}
		};
	}

	/**
	 * Copies the session's CSRF token into the readable {@code XSRF-TOKEN} cookie ({@code SameSite=Lax}, not
	 * {@code HttpOnly}, so page scripts and Swagger UI can read it) whenever the cookie does not already hold it: on
	 * the first page after signing in, and after the token changed (it is renewed at every sign-in). Only requests
	 * that belong to a session get one; a bearer or anonymous request makes no session for a token nobody needs.
	 */
	private static final class XsrfCookieFilter extends OncePerRequestFilter {

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			DeferredCsrfToken deferred = (DeferredCsrfToken) request.getAttribute(DeferredCsrfToken.class.getName());
			if (deferred != null && request.getSession(false) != null
					&& !ApiBearerAuthentication.hasBearerToken(request)) {
				String token = deferred.get().getToken();
				Cookie current = WebUtils.getCookie(request, XSRF_COOKIE);
				if (current == null || !token.equals(current.getValue())) {
					response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(XSRF_COOKIE, token)
						.path("/")
						.sameSite("Lax")
						.secure(request.isSecure())
						.httpOnly(false)
						.build()
						.toString());
				}
			}
			chain.doFilter(request, response);
		}

	}

}
