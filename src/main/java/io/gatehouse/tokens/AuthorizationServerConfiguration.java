package io.gatehouse.tokens;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.gatehouse.signin.AccountAuthorityFilter;
import io.gatehouse.signin.AccountLookup;
import io.gatehouse.signin.LoginThrottle;
import io.gatehouse.clients.AuthClientService;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationServerMetadata;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.oidc.OidcProviderConfiguration;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2RefreshTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AuthorizationCodeAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AuthorizationCodeRequestAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2ClientCredentialsAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2RefreshTokenAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Spring's authorization server on the original system's paths ({@code /oauth/authorize}, {@code /oauth/token},
 * {@code /oauth/introspect}, {@code /oauth/revoke}, {@code /oauth/jwks}, {@code /userinfo}; discovery at the
 * well-known paths), with Gatehouse's clients, token store, consent store, password grant and token claims.
 * Its filter chain comes first and claims only those endpoints (the token, introspection and revocation endpoints
 * for every method, so that anything but POST is answered 405 here).
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfiguration {

	/** The {@code aud} of every access token: the REST API. */
	static final String API_AUDIENCE = "gatehouse-api";

	/** The grants the token endpoint serves, as discovery names them. */
	private static final List<String> SERVED_GRANT_TYPES = List.of(AuthorizationGrantType.AUTHORIZATION_CODE.getValue(),
			AuthorizationGrantType.REFRESH_TOKEN.getValue(), AuthClientRegisteredClientRepository.PASSWORD.getValue(),
			AuthorizationGrantType.CLIENT_CREDENTIALS.getValue());

	/** Spring would also read device code and token exchange requests, and answer them invalid_grant. */
	private static final Set<Class<?>> SERVED_GRANT_CONVERTERS = Set.of(PasswordGrantAuthenticationConverter.class,
			ClientCredentialsDefaultScopeConverter.class, OAuth2AuthorizationCodeAuthenticationConverter.class,
			OAuth2RefreshTokenAuthenticationConverter.class, OAuth2ClientCredentialsAuthenticationConverter.class);

	private static final Set<Class<?>> SERVED_GRANT_PROVIDERS = Set.of(PasswordGrantAuthenticationProvider.class,
			OAuth2AuthorizationCodeAuthenticationProvider.class, OAuth2RefreshTokenAuthenticationProvider.class,
			OAuth2ClientCredentialsAuthenticationProvider.class);

	/** The client authentication methods registered clients allow (AuthClientRegisteredClientRepository). */
	private static final List<String> CLIENT_SECRET_METHODS = List.of(
			ClientAuthenticationMethod.CLIENT_SECRET_BASIC.getValue(),
			ClientAuthenticationMethod.CLIENT_SECRET_POST.getValue());

	/** Public clients authenticate at the token endpoint alone, with PKCE. */
	private static final List<String> TOKEN_ENDPOINT_METHODS = List.of(
			ClientAuthenticationMethod.CLIENT_SECRET_BASIC.getValue(),
			ClientAuthenticationMethod.CLIENT_SECRET_POST.getValue(), ClientAuthenticationMethod.NONE.getValue());

	@Bean
	@Order(0)
	SecurityFilterChain authorizationServerChain(HttpSecurity http, RegisteredClientRepository clients,
			JdbcTokenStore tokens, JdbcConsentStore consents, OAuth2TokenGenerator<OAuth2Token> tokenGenerator,
			AccountLookup accounts, LoginThrottle throttle, AuthorizationServerSettings settings,
			AccountAuthorityFilter signedInUsers) throws Exception {
		OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
		// the endpoints a client calls with its credentials, whatever the method (Spring claims only their POST)
		RequestMatcher clientEndpoints = new OrRequestMatcher(
				PathPatternRequestMatcher.withDefaults().matcher(settings.getTokenEndpoint()),
				PathPatternRequestMatcher.withDefaults().matcher(settings.getTokenIntrospectionEndpoint()),
				PathPatternRequestMatcher.withDefaults().matcher(settings.getTokenRevocationEndpoint()));
		OAuthErrorResponses endpointErrors = OAuthErrorResponses.forEndpoints();
		http.securityMatcher(new OrRequestMatcher(server.getEndpointsMatcher(), clientEndpoints))
			.with(server, configurer -> configurer.registeredClientRepository(clients)
				.authorizationService(tokens)
				.authorizationConsentService(consents)
				.authorizationServerSettings(settings)
				.tokenGenerator(tokenGenerator)
				.clientAuthentication(authentication -> authentication.authenticationProviders(providers -> providers
					.forEach(provider -> {
						if (provider instanceof ClientSecretAuthenticationProvider secrets) {
							secrets.setPasswordEncoder(new ClientSecretHashEncoder());
						}
					}))
					.errorResponseHandler(OAuthErrorResponses.forClientAuthentication()))
				.tokenEndpoint(endpoint -> endpoint.accessTokenRequestConverter(new PasswordGrantAuthenticationConverter())
					.accessTokenRequestConverter(new ClientCredentialsDefaultScopeConverter())
					.authenticationProvider(
							new PasswordGrantAuthenticationProvider(accounts, throttle, tokens, tokenGenerator))
					// only the grants Gatehouse serves: any other grant_type is unsupported_grant_type
					.accessTokenRequestConverters(AuthorizationServerConfiguration::servedGrantsOnly)
					.authenticationProviders(providers -> providers
						.removeIf(provider -> !SERVED_GRANT_PROVIDERS.contains(provider.getClass())))
					.errorResponseHandler(endpointErrors))
				.tokenIntrospectionEndpoint(endpoint -> endpoint
					.authenticationProviders(AuthorizationServerConfiguration::ownTokensIntrospection)
					.errorResponseHandler(endpointErrors))
				.tokenRevocationEndpoint(endpoint -> endpoint
					.authenticationProviders(AuthorizationServerConfiguration::ownTokensRevocation)
					.errorResponseHandler(endpointErrors))
				.authorizationEndpoint(endpoint -> endpoint.consentPage("/oauth/consent")
					.authorizationRequestConverters(converters -> converters.replaceAll(
							converter -> converter instanceof OAuth2AuthorizationCodeRequestAuthenticationConverter
									? new AuthorizationCodeRequestConverter(clients) : converter)))
				// discovery names what is served (RFC 8414 2), not everything Spring could serve
				.authorizationServerMetadataEndpoint(metadata -> metadata
					.authorizationServerMetadataCustomizer(AuthorizationServerConfiguration::servedOnly))
				.oidc(oidc -> oidc.providerConfigurationEndpoint(provider -> provider
					.providerConfigurationCustomizer(AuthorizationServerConfiguration::servedOnly))))
			// RFC 6749 3.2: a POST with a form body, nothing in the URL; checked before CSRF and client authentication
			.addFilterBefore(new FormBodyOnlyFilter(clientEndpoints), CsrfFilter.class)
			// the signed-in user as they are now (and as a SignedInUser), as on every console page
			.addFilterAfter(signedInUsers, SecurityContextHolderFilter.class)
			.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
			// the userinfo endpoint takes this server's access tokens
			.oauth2ResourceServer(resourceServer -> resourceServer.jwt(jwt -> {
			}))
			.exceptionHandling(errors -> errors
				// a client that sent no credentials: invalid_client, never the login page (RFC 6749 5.2)
				.defaultAuthenticationEntryPointFor(endpointErrors, clientEndpoints)
				// a browser that reaches /oauth/authorize signed out is sent to the console's login page, then back
				.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
						new AndRequestMatcher(
								PathPatternRequestMatcher.withDefaults().matcher(settings.getAuthorizationEndpoint()),
								new MediaTypeRequestMatcher(MediaType.TEXT_HTML))));
		return http.build();
	}

	private static void servedGrantsOnly(List<AuthenticationConverter> converters) {
		converters.removeIf(converter -> !SERVED_GRANT_CONVERTERS.contains(converter.getClass()));
	}

	private static void ownTokensIntrospection(List<AuthenticationProvider> providers) {
		providers.replaceAll(provider -> provider instanceof OAuth2TokenIntrospectionAuthenticationProvider spring
				? new OwnTokensIntrospectionAuthenticationProvider(spring) : provider);
	}

	private static void ownTokensRevocation(List<AuthenticationProvider> providers) {
		providers.replaceAll(provider -> provider instanceof OAuth2TokenRevocationAuthenticationProvider spring
				? new OwnTokensRevocationAuthenticationProvider(spring) : provider);
	}

	private static void servedOnly(OAuth2AuthorizationServerMetadata.Builder metadata) {
		metadata.grantTypes(exactly(SERVED_GRANT_TYPES))
			.tokenEndpointAuthenticationMethods(exactly(TOKEN_ENDPOINT_METHODS))
			.tokenIntrospectionEndpointAuthenticationMethods(exactly(CLIENT_SECRET_METHODS))
			.tokenRevocationEndpointAuthenticationMethods(exactly(CLIENT_SECRET_METHODS));
	}

	private static void servedOnly(OidcProviderConfiguration.Builder metadata) {
		metadata.grantTypes(exactly(SERVED_GRANT_TYPES))
			.tokenEndpointAuthenticationMethods(exactly(TOKEN_ENDPOINT_METHODS))
			.tokenIntrospectionEndpointAuthenticationMethods(exactly(CLIENT_SECRET_METHODS))
			.tokenRevocationEndpointAuthenticationMethods(exactly(CLIENT_SECRET_METHODS));
	}

	private static Consumer<List<String>> exactly(List<String> values) {
		return list -> {
			list.clear();
			list.addAll(values);
		};
	}

	@Bean
	AuthorizationServerSettings authorizationServerSettings(TokenProperties properties) {
		AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder()
			.authorizationEndpoint("/oauth/authorize")
			.tokenEndpoint("/oauth/token")
			.tokenIntrospectionEndpoint("/oauth/introspect")
			.tokenRevocationEndpoint("/oauth/revoke")
			.jwkSetEndpoint("/oauth/jwks")
			.oidcUserInfoEndpoint("/userinfo");
		if (!properties.issuer().isBlank()) {
			settings.issuer(properties.issuer());
		}
		return settings.build();
	}

	@Bean
	OAuth2TokenGenerator<OAuth2Token> tokenGenerator(JwtEncoder activeKey, AccountLookup accounts,
			AuthClientService clients) {
		JwtGenerator jwts = new JwtGenerator(activeKey);
		jwts.setJwtCustomizer(new AccessTokenClaims(accounts, clients, API_AUDIENCE));
		return new DelegatingOAuth2TokenGenerator(jwts, new OAuth2RefreshTokenGenerator());
	}

	/**
	 * Verifies this server's access tokens in-process, against the same keys it signs with: RFC 9068 {@code typ},
	 * signature, expiry (60 s clock skew), audience, and the issuer when one is configured.
	 */
	@Bean
	JwtDecoder jwtDecoder(SigningKeyConfiguration signing, JWKSource<SecurityContext> keys, TokenProperties properties) {
		NimbusJwtDecoder decoder = (NimbusJwtDecoder) signing.jwtDecoder(keys);
		java.util.List<OAuth2TokenValidator<Jwt>> validators = new java.util.ArrayList<>();
		validators.add(new JwtTypeValidator("at+jwt"));
		validators.add(new JwtClaimValidator<java.util.List<String>>("aud",
				aud -> aud != null && aud.contains(API_AUDIENCE)));
		if (!properties.issuer().isBlank()) {
			validators.add(new JwtIssuerValidator(properties.issuer()));
		}
		decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(validators));
		return decoder;
	}

	@Bean
	AccessTokenAuthenticationManager accessTokenAuthenticationManager(JwtDecoder decoder, JdbcTokenStore tokens,
			AccountLookup accounts) {
		return new AccessTokenAuthenticationManager(decoder, tokens, accounts);
	}

}
