package io.gatehouse.config;

import io.gatehouse.oauth.AuthorizationServerSetup;
import io.gatehouse.signin.AccountAuthorityFilter;
import io.gatehouse.web.ContentSecurityPolicy;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Every security filter chain, in the order they are tried. They share one session:
 * <ol start="0">
 * <li>the authorization server's endpoints (RFC 6749 errors, never the login page);</li>
 * <li>the REST API under {@code /api/1.0}, which answers 401/403 as problem JSON and takes bearer tokens;</li>
 * <li>the console, everything else, which redirects to the login page.</li>
 * </ol>
 * CSRF protection covers the API and the console with one token, kept in the session: a request passes only with
 * that token, in the {@code X-XSRF-TOKEN} header or, for console forms, their hidden field. The readable
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

	/**
	 * Spring's strict firewall (encoded slashes, path traversal, methods, and the characters of headers and
	 * parameter names all refused as by default), with the character checks of {@link HeaderCharacters}: the same
	 * rules without a regular expression per header read, which made a JWT bearer token cost more than the request.
	 */
	@Bean
	StrictHttpFirewall httpFirewall() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowedHeaderNames(HeaderCharacters.NAMES);
		firewall.setAllowedHeaderValues(HeaderCharacters.VALUES);
		firewall.setAllowedParameterNames(HeaderCharacters.NAMES);
		return firewall;
	}

	/**
	 * No Micrometer observation around each security filter, authentication and authorization: nothing reads
	 * Spring Security's {@code spring.security.*} timers, and wrapping each of the token endpoint's two dozen filters
	 * in one was a measurable share of a token request. The endpoints' own metrics ({@code gatehouse.oauth.*}) and
	 * Spring Boot's {@code http.server.requests} stay.
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	/**
	 * Before all others, the Actuator endpoints (health, info, prometheus): open, because they are served only on
	 * the management port, which binds to loopback unless an operator opens it (see application.properties); on
	 * the main port those paths do not exist. No session and no CSRF token: probes and scrapers only read.
	 */
	@Bean
	@Order(-1)
	SecurityFilterChain managementChain(HttpSecurity http) {
		http.securityMatcher(EndpointRequest.toAnyEndpoint())
			.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
			.sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.csrf(csrf -> csrf.disable());
		return http.build();
	}

	/**
	 * Order 0, the authorization server: {@code /oauth/authorize}, {@code /oauth/token}, {@code /oauth/introspect},
	 * {@code /oauth/revoke}, {@code /oauth/jwks}, {@code /userinfo} and the discovery documents. Its endpoints
	 * authenticate clients themselves; this chain adds the form-body rule of the client endpoints (for every method,
	 * so anything but POST is answered 405 here), the signed-in user of the authorization endpoint, bearer tokens for
	 * userinfo, and {@code invalid_client} for a client endpoint called without credentials.
	 */
	@Bean
	@Order(0)
	SecurityFilterChain authorizationServerChain(HttpSecurity http, AuthorizationServerSetup oauth,
			AccountAuthorityFilter signedInUsers) throws Exception {
		OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
		RequestMatcher clientEndpoints = oauth.clientEndpoints();
		http.securityMatcher(new OrRequestMatcher(server.getEndpointsMatcher(), clientEndpoints))
			.with(server, oauth.configurer())
			.addFilterBefore(oauth.formBodyOnlyFilter(), CsrfFilter.class)
			.addFilterBefore(oauth.pushedRequestUserAgentFilter(), CsrfFilter.class)
			// after client authentication, before the token endpoint (which Spring adds after AuthorizationFilter)
			.addFilterBefore(oauth.clientRateLimitFilter(), AuthorizationFilter.class)
			// the signed-in user as they are now (and as a SignedInUser), as on every console page
			.addFilterAfter(signedInUsers, SecurityContextHolderFilter.class)
			.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
			.requestCache(cache -> cache.requestCache(oauth.browserRequests()))
			// the userinfo endpoint takes this server's access tokens
			.oauth2ResourceServer(resourceServer -> resourceServer.jwt(jwt -> {
			}))
			.exceptionHandling(errors -> errors
				.defaultAuthenticationEntryPointFor(oauth.clientAuthenticationRequired(), clientEndpoints)
				// a browser that reaches /oauth/authorize signed out is sent to the console's login page, then back
				.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
						new AndRequestMatcher(oauth.authorizationEndpoint(),
								new MediaTypeRequestMatcher(MediaType.TEXT_HTML))));
		return http.build();
	}

	/**
	 * Client registration ({@code /oauth/register}, RFC 7591 and 7592): the endpoint authenticates its callers
	 * itself, with an initial access token or a registration access token sent as a bearer token, so this chain lets
	 * every request through to it. No session and no CSRF token: nothing a browser sends on its own authenticates
	 * there. Its path is apart from every other chain's, so its place in the order does not matter.
	 */
	@Bean
	@Order(1)
	SecurityFilterChain registrationChain(HttpSecurity http) throws Exception {
		http.securityMatcher("/oauth/register", "/oauth/register/**")
			.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
			.sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable())
			.csrf(csrf -> csrf.disable())
			.headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)));
		return http.build();
	}

	/**
	 * Order 1, the REST API ({@code /api/1.0/**}): the console's session (with the session's CSRF token for writes),
	 * or a bearer token, personal access token or this server's JWT (no CSRF token: the browser never sends one on
	 * its own). Failures are problem JSON with RFC 6750 challenges; nothing redirects.
	 */
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
				.bearerTokenResolver(bearer.tokenResolver())
				.authenticationEntryPoint(new ApiAuthenticationEntryPoint()))
			.addFilterAfter(authorities, SecurityContextHolderFilter.class)
			.addFilterAfter(new XsrfCookieFilter(), CsrfFilter.class)
			.requestCache(cache -> cache.disable())
			.exceptionHandling(errors -> errors
				.authenticationEntryPoint(new ApiAuthenticationEntryPoint())
				.accessDeniedHandler(new ApiAccessDeniedHandler()))
			.headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)));
		return http.build();
	}

	/**
	 * Order 2, the console: every other path. Signed-out requests go to the login page; the login, error pages,
	 * static files and the API documentation are public.
	 */
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

}
