package io.gatehouse.tokens;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.gatehouse.accounts.LoginThrottle;
import io.gatehouse.accounts.AccountAuthorityFilter;
import io.gatehouse.accounts.AccountLookup;
import io.gatehouse.clients.AuthClientService;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2RefreshTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * Spring's authorization server on the original system's paths ({@code /oauth/authorize}, {@code /oauth/token},
 * {@code /oauth/introspect}, {@code /oauth/revoke}, {@code /oauth/jwks}, {@code /userinfo}; discovery at the
 * well-known paths), with Gatehouse's clients, token store, consent store, password grant and token claims.
 * Its filter chain comes first and claims only those endpoints.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfiguration {

	/** The {@code aud} of every access token: the REST API. */
	static final String API_AUDIENCE = "gatehouse-api";

	@Bean
	@Order(0)
	SecurityFilterChain authorizationServerChain(HttpSecurity http, RegisteredClientRepository clients,
			JdbcTokenStore tokens, JdbcConsentStore consents, OAuth2TokenGenerator<OAuth2Token> tokenGenerator,
			AccountLookup accounts, LoginThrottle throttle, AuthorizationServerSettings settings,
			AccountAuthorityFilter signedInUsers) throws Exception {
		OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
		http.securityMatcher(server.getEndpointsMatcher())
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
					})))
				.tokenEndpoint(endpoint -> endpoint.accessTokenRequestConverter(new PasswordGrantAuthenticationConverter())
					.accessTokenRequestConverter(new ClientCredentialsDefaultScopeConverter())
					.authenticationProvider(
							new PasswordGrantAuthenticationProvider(accounts, throttle, tokens, tokenGenerator)))
				.authorizationEndpoint(endpoint -> endpoint.consentPage("/oauth/consent"))
				.oidc(oidc -> {
				}))
			// the signed-in user as they are now (and as a SignedInUser), as on every console page
			.addFilterAfter(signedInUsers, SecurityContextHolderFilter.class)
			.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
			// the userinfo endpoint takes this server's access tokens
			.oauth2ResourceServer(resourceServer -> resourceServer.jwt(jwt -> {
			}))
			// a browser that reaches /oauth/authorize signed out is sent to the console's login page, then back
			.exceptionHandling(errors -> errors.defaultAuthenticationEntryPointFor(
					new LoginUrlAuthenticationEntryPoint("/login"), new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
		return http.build();
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
