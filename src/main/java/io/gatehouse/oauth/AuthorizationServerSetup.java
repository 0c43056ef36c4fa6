package io.gatehouse.oauth;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.servlet.Filter;

import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.signin.AccountLookup;
import io.gatehouse.signin.PasswordSignIn;
import io.gatehouse.signing.SigningKeyDecoders;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationServerMetadata;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.oidc.OidcProviderConfiguration;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.web.authentication.JwtClientAssertionAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AuthorizationCodeAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AuthorizationCodeRequestAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2DeviceAuthorizationRequestAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2DeviceCodeAuthenticationConverter;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2RefreshTokenAuthenticationConverter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.DelegatingAuthenticationConverter;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;

/**
 * Spring's authorization server as Gatehouse serves it, for the security chain that guards its endpoints
 * ({@code io.gatehouse.config.SecurityConfiguration}): the clients, token store, consent store and token generator;
 * the grants served (Spring's code, refresh and client credentials grants, Gatehouse's password grant) and no other;
 * client secrets checked against the client's active secrets, by their SHA-256; introspection and revocation limited
 * to the caller's own tokens; RFC 6749 errors; and discovery documents that name only what is served.
 */
@Component
public final class AuthorizationServerSetup {

	/** The grants the token endpoint serves, as discovery names them. */
	static final List<String> SERVED_GRANT_TYPES = Arrays.stream(GrantType.values())
		.flatMap(grant -> grant.tokenEndpointGrants().stream())
		.map(AuthorizationGrantType::getValue)
		.distinct()
		.toList();

	/**
	 * Spring's token exchange converter and provider are replaced by Gatehouse's (its rules differ: see
	 * {@link TokenExchangeAuthenticationProvider}). Its client credentials converter is wrapped by ours, which comes
	 * first.
	 */
	private static final Set<Class<?>> SERVED_GRANT_CONVERTERS = Set.of(PasswordGrantAuthenticationConverter.class,
			TokenExchangeAuthenticationConverter.class,
			ClientCredentialsDefaultScopeConverter.class, OAuth2AuthorizationCodeAuthenticationConverter.class,
			OAuth2RefreshTokenAuthenticationConverter.class, OAuth2DeviceCodeAuthenticationConverter.class);

	private static final Set<Class<?>> SERVED_GRANT_PROVIDERS = Set.of(PasswordGrantAuthenticationProvider.class,
			TokenExchangeAuthenticationProvider.class,
			OAuth2AuthorizationCodeAuthenticationProvider.class, OAuth2RefreshTokenAuthenticationProvider.class,
			OAuth2ClientCredentialsAuthenticationProvider.class, OAuth2DeviceCodeAuthenticationProvider.class);

	/** The client authentication methods registered clients allow (AuthClientRegisteredClientRepository). */
	private static final List<String> CLIENT_SECRET_METHODS = List.of(
			ClientAuthenticationMethod.CLIENT_SECRET_BASIC.getValue(),
			ClientAuthenticationMethod.CLIENT_SECRET_POST.getValue(),
			ClientAuthenticationMethod.PRIVATE_KEY_JWT.getValue());

	/** Public clients authenticate at the token endpoint alone, with PKCE. */
	private static final List<String> TOKEN_ENDPOINT_METHODS = List.of(
			ClientAuthenticationMethod.CLIENT_SECRET_BASIC.getValue(),
			ClientAuthenticationMethod.CLIENT_SECRET_POST.getValue(),
			ClientAuthenticationMethod.PRIVATE_KEY_JWT.getValue(), ClientAuthenticationMethod.NONE.getValue());

	/** Served by the registration module (RFC 7591); named here for discovery. */
	static final String REGISTRATION_ENDPOINT = "/oauth/register";

	private final RegisteredClientRepository clients;

	private final JdbcTokenStore tokens;

	private final OAuth2AuthorizationConsentService consents;

	private final OAuth2TokenGenerator<OAuth2Token> tokenGenerator;

	private final AccountLookup accounts;

	private final PasswordSignIn signIns;

	private final OAuthAudit audit;

	private final AuthorizationServerSettings settings;

	private final VerifiedAccessTokens accessTokens;

	private final PushedRequestProperties par;

	private final UserGrants userGrants;

	private final AuthClientService clientService;

	private final DPoPProofs dpopProofs;

	private final DPoPNonces dpopNonces;

	private final DPoPProperties dpop;

	private final ClientAssertionDecoderFactory clientAssertions;

	private final DevicePolling devicePolling;

	private final DeviceCodeThrottle deviceCodes;

	private final ClientRateLimits rateLimits;

	private final JdbcAuthorizationRepository grants;

	/** {@link #tokens} for the token endpoint's grants: new grants committed in groups. */
	private final GroupCommittedTokenStore groupCommitted;

	private final OAuthErrorResponses endpointErrors = OAuthErrorResponses.forEndpoints();

	AuthorizationServerSetup(RegisteredClientRepository clients, JdbcTokenStore tokens,
			OAuth2AuthorizationConsentService consents, OAuth2TokenGenerator<OAuth2Token> tokenGenerator,
			AccountLookup accounts, PasswordSignIn signIns, OAuthAudit audit, AuthorizationServerSettings settings,
			VerifiedAccessTokens accessTokens, PushedRequestProperties par, UserGrants userGrants,
			AuthClientService clientService, DPoPProofs dpopProofs, DPoPNonces dpopNonces, DPoPProperties dpop,
			ClientAssertionDecoderFactory clientAssertions, DevicePolling devicePolling,
			DeviceCodeThrottle deviceCodes, ClientRateLimits rateLimits, JdbcAuthorizationRepository grants,
			GroupCommittedTokenStore groupCommitted) {
		this.grants = grants;
		this.groupCommitted = groupCommitted;
		this.clientService = clientService;
		this.dpopProofs = dpopProofs;
		this.dpopNonces = dpopNonces;
		this.dpop = dpop;
		this.clientAssertions = clientAssertions;
		this.devicePolling = devicePolling;
		this.deviceCodes = deviceCodes;
		this.rateLimits = rateLimits;
		this.clients = clients;
		this.tokens = tokens;
		this.consents = consents;
		this.tokenGenerator = tokenGenerator;
		this.accounts = accounts;
		this.signIns = signIns;
		this.audit = audit;
		this.settings = settings;
		this.accessTokens = accessTokens;
		this.par = par;
		this.userGrants = userGrants;
	}

	/**
	 * The endpoints a client calls with its credentials (token, pushed authorization request, device authorization,
	 * introspection, revocation), for every method: Spring claims only their POST, so the chain claims the rest to
	 * answer it 405 rather than with the console.
	 */
	public RequestMatcher clientEndpoints() {
		return new OrRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher(settings.getTokenEndpoint()),
				PathPatternRequestMatcher.withDefaults().matcher(settings.getPushedAuthorizationRequestEndpoint()),
				PathPatternRequestMatcher.withDefaults().matcher(settings.getDeviceAuthorizationEndpoint()),
				PathPatternRequestMatcher.withDefaults().matcher(settings.getTokenIntrospectionEndpoint()),
				PathPatternRequestMatcher.withDefaults().matcher(settings.getTokenRevocationEndpoint()));
	}

	/**
	 * The endpoints a browser is sent to, where a signed-out browser is sent to sign in first: the authorization
	 * endpoint and the device verification page ({@code /device}, RFC 8628 3.3).
	 */
	public RequestMatcher authorizationEndpoint() {
		return new OrRequestMatcher(
				PathPatternRequestMatcher.withDefaults().matcher(settings.getAuthorizationEndpoint()),
				PathPatternRequestMatcher.withDefaults().matcher(settings.getDeviceVerificationEndpoint()));
	}

	/**
	 * RFC 6749 3.2: the client endpoints take a POST with a form body and nothing in the URL. Goes before CSRF and
	 * client authentication, so a client secret in the URL is refused, not tried.
	 */
	public Filter formBodyOnlyFilter() {
		return new FormBodyOnlyFilter(clientEndpoints());
	}

	/**
	 * RFC 9126 4: a request URI belongs to the first browser that presents it, also across its sign-in detour. Goes
	 * before the sign-in redirect and the authorization endpoint.
	 */
	public Filter pushedRequestUserAgentFilter() {
		return new PushedRequestUserAgentFilter(authorizationEndpoint(), tokens);
	}

	/** Where a browser sent to sign in comes back to, the device verification page with its code. */
	public RequestCache browserRequests() {
		return DeviceAuthorization.requestCache();
	}

	/** Each client's token-endpoint rate limit, for the chain after client authentication. */
	public Filter clientRateLimitFilter() {
		return rateLimits.filter(settings.getTokenEndpoint());
	}

	/** A client endpoint called without client credentials: {@code invalid_client}, never the login page. */
	public AuthenticationEntryPoint clientAuthenticationRequired() {
		return endpointErrors;
	}

	/** Everything Gatehouse sets on Spring's configurer. */
	public Customizer<OAuth2AuthorizationServerConfigurer> configurer() {
		return server -> server.registeredClientRepository(clients)
			.authorizationService(groupCommitted)
			.authorizationConsentService(consents)
			.authorizationServerSettings(settings)
			.tokenGenerator(tokenGenerator)
			.clientAuthentication(authentication -> authentication
				.authenticationConverters(converters -> converters.replaceAll(
						converter -> converter instanceof JwtClientAssertionAuthenticationConverter
								? new ClientIdFromAssertion(converter) : converter))
				.authenticationProviders(this::activeSecrets)
				.errorResponseHandler(OAuthErrorResponses.forClientAuthentication()))
			.tokenEndpoint(endpoint -> endpoint.accessTokenRequestConverter(new PasswordGrantAuthenticationConverter())
				.accessTokenRequestConverter(new ClientCredentialsDefaultScopeConverter())
				.authenticationProvider(new PasswordGrantAuthenticationProvider(accounts, signIns, groupCommitted,
						tokenGenerator))
				// RFC 8693: Gatehouse's own, hanging each exchanged token off the subject token's grant
				.accessTokenRequestConverter(new TokenExchangeAuthenticationConverter())
				.authenticationProvider(new TokenExchangeAuthenticationProvider(accessTokens, grants, accounts,
						groupCommitted, tokenGenerator, audit))
				// only the grants Gatehouse serves: any other grant_type is unsupported_grant_type
				.accessTokenRequestConverters(this::servedGrantsOnly)
				.authenticationProviders(providers -> {
					providers.removeIf(provider -> !SERVED_GRANT_PROVIDERS.contains(provider.getClass()));
					DeviceAuthorization.tokenGrant(providers, devicePolling);
				})
				.errorResponseHandler(endpointErrors))
			// RFC 8628: device codes and user codes in the token store; the user answers on the console's /device
			.deviceAuthorizationEndpoint(endpoint -> endpoint
				.deviceAuthorizationRequestConverters(converters -> converters.replaceAll(
						converter -> converter instanceof OAuth2DeviceAuthorizationRequestAuthenticationConverter
								? DeviceAuthorization.defaultScopeConverter() : converter))
				.deviceAuthorizationResponseHandler(DeviceAuthorization.authorizationResponse())
				.errorResponseHandler(endpointErrors))
			.deviceVerificationEndpoint(endpoint -> endpoint.consentPage(DeviceAuthorization.CONSENT_PAGE)
				.authenticationProviders(providers -> DeviceAuthorization.verification(providers, deviceCodes))
				.deviceVerificationResponseHandler(DeviceAuthorization.verified())
				.errorResponseHandler(DeviceAuthorization.verificationFailed()))
			// RFC 9126: the request is stored in the token store, its request_uri single use and short-lived
			.pushedAuthorizationRequestEndpoint(endpoint -> endpoint
				.authenticationProviders(providers -> PushedAuthorizationRequests.storedInTokenStore(providers, tokens))
				.errorResponseHandler(endpointErrors))
			.tokenIntrospectionEndpoint(endpoint -> endpoint
				.authenticationProviders(this::ownTokensIntrospection)
				.errorResponseHandler(endpointErrors))
			.tokenRevocationEndpoint(endpoint -> endpoint
				.authenticationProviders(this::ownTokensRevocation)
				.errorResponseHandler(endpointErrors))
			.authorizationEndpoint(endpoint -> endpoint.consentPage("/oauth/consent")
				.authenticationProviders(this::firstPartyConsent)
				.authorizationRequestConverters(converters -> converters.replaceAll(
						converter -> converter instanceof OAuth2AuthorizationCodeRequestAuthenticationConverter
								? new AuthorizationCodeRequestConverter(clients, par.required()) : converter))
				.errorResponseHandler(new AuthorizationErrorResponses()))
			// discovery names what is served (RFC 8414 2), not everything Spring could serve
			.authorizationServerMetadataEndpoint(metadata -> metadata
				.authorizationServerMetadataCustomizer(builder -> servedOnly(builder.claims(this::parRequirement))))
			.oidc(oidc -> oidc.providerConfigurationEndpoint(provider -> provider
				.providerConfigurationCustomizer(builder -> servedOnly(builder.claims(this::parRequirement)
					.claims(DeviceAuthorization::endpointClaim))))
				.logoutEndpoint(logout -> logout
					.logoutResponseHandler(new LogoutRevocation(clients, userGrants, audit))));
	}

	/**
	 * RFC 9126 5: {@code require_pushed_authorization_requests}, true when the server requires them of all. And
	 * RFC 8414 2 / OpenID Connect Discovery 3: {@code registration_endpoint}, the RFC 7591 endpoint that the
	 * registration module serves beside the issuer's other endpoints.
	 */
	private void parRequirement(java.util.Map<String, Object> claims) {
		claims.put("require_pushed_authorization_requests", par.required());
		Object issuer = claims.get("issuer");
		if (issuer != null) {
			claims.put("registration_endpoint", issuer.toString().replaceAll("/+$", "") + REGISTRATION_ENDPOINT);
		}
	}

	private void firstPartyConsent(List<AuthenticationProvider> providers) {
		providers.forEach(provider -> {
			if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider code) {
				code.setAuthorizationConsentRequired(new FirstPartyConsent(consents));
			}
		});
	}

	private void activeSecrets(List<AuthenticationProvider> providers) {
		providers.forEach(provider -> {
			if (provider instanceof ClientSecretAuthenticationProvider secrets) {
				secrets.setPasswordEncoder(new ActiveClientSecretsEncoder(clientService));
			}
			if (provider instanceof JwtClientAssertionAuthenticationProvider assertions) {
				assertions.setJwtDecoderFactory(clientAssertions);
			}
		});
	}

	/** The served grants' converters, behind the DPoP checks (RFC 9449 5). */
	private void servedGrantsOnly(List<AuthenticationConverter> converters) {
		converters.removeIf(converter -> !SERVED_GRANT_CONVERTERS.contains(converter.getClass()));
		AuthenticationConverter grants = new DelegatingAuthenticationConverter(List.copyOf(converters));
		converters.clear();
		converters.add(new DPoPTokenRequestConverter(grants, dpopProofs, dpopNonces, dpop.nonceRequired()));
	}

	private void ownTokensIntrospection(List<AuthenticationProvider> providers) {
		providers.replaceAll(provider -> provider instanceof OAuth2TokenIntrospectionAuthenticationProvider spring
				? new OwnTokensIntrospectionAuthenticationProvider(spring, accessTokens) : provider);
	}

	private void ownTokensRevocation(List<AuthenticationProvider> providers) {
		providers.replaceAll(provider -> provider instanceof OAuth2TokenRevocationAuthenticationProvider spring
				? new OwnTokensRevocationAuthenticationProvider(spring, audit) : provider);
	}

	private static void servedOnly(OAuth2AuthorizationServerMetadata.Builder metadata) {
		metadata.grantTypes(exactly(SERVED_GRANT_TYPES))
			.dPoPSigningAlgorithms(exactly(DPoPProofs.ALGORITHMS))
			.tokenEndpointAuthenticationMethods(exactly(TOKEN_ENDPOINT_METHODS))
			.tokenIntrospectionEndpointAuthenticationMethods(exactly(CLIENT_SECRET_METHODS))
			.tokenRevocationEndpointAuthenticationMethods(exactly(CLIENT_SECRET_METHODS));
	}

	private static void servedOnly(OidcProviderConfiguration.Builder metadata) {
		// ID tokens are signed with the active key, whose algorithm is configured (Spring would name RS256 alone)
		metadata.idTokenSigningAlgorithms(exactly(SigningKeyDecoders.algorithms()))
			.grantTypes(exactly(SERVED_GRANT_TYPES))
			.dPoPSigningAlgorithms(exactly(DPoPProofs.ALGORITHMS))
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

}
