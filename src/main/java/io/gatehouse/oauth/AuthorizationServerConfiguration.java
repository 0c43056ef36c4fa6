package io.gatehouse.oauth;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.signin.AccountLookup;
import io.gatehouse.signing.SigningKeyDecoders;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2RefreshTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * Spring's authorization server on the original system's paths ({@code /oauth/authorize}, {@code /oauth/token},
 * {@code /oauth/par}, {@code /oauth/logout}, {@code /oauth/device_authorization} and {@code /device},
 * {@code /oauth/introspect}, {@code /oauth/revoke}, {@code /oauth/jwks}, {@code /userinfo}; discovery at the
 * well-known paths), the generator of its tokens with Gatehouse's claims, and the verification of those tokens when
 * they come back as bearer tokens. {@link AuthorizationServerSetup} is what its filter chain plugs in.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfiguration {

	static final String TOKEN_ENDPOINT = "/oauth/token";

	static final String INTROSPECTION_ENDPOINT = "/oauth/introspect";

	/** The {@code aud} of every access token: the REST API. */
	static final String API_AUDIENCE = "gatehouse-api";

	@Bean
	AuthorizationServerSettings authorizationServerSettings(TokenProperties properties) {
		AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder()
			.authorizationEndpoint("/oauth/authorize")
			.tokenEndpoint(TOKEN_ENDPOINT)
			.pushedAuthorizationRequestEndpoint("/oauth/par")
			.deviceAuthorizationEndpoint(DeviceAuthorization.AUTHORIZATION_ENDPOINT)
			.deviceVerificationEndpoint(DeviceAuthorization.VERIFICATION_URI)
			.tokenIntrospectionEndpoint(INTROSPECTION_ENDPOINT)
			.tokenRevocationEndpoint("/oauth/revoke")
			.jwkSetEndpoint("/oauth/jwks")
			.oidcUserInfoEndpoint("/userinfo")
			.oidcLogoutEndpoint("/oauth/logout");
		if (!properties.issuer().isBlank()) {
			settings.issuer(properties.issuer());
		}
		return settings.build();
	}

	@Bean
	OAuth2TokenGenerator<OAuth2Token> tokenGenerator(JwtEncoder activeKey, AccountLookup accounts,
			AuthClientRegisteredClientRepository clients, DPoPProofs proofs) {
		JwtGenerator jwts = new JwtGenerator(activeKey);
		jwts.setJwtCustomizer(new AccessTokenClaims(accounts, clients, API_AUDIENCE, proofs));
		return new DelegatingOAuth2TokenGenerator(jwts, new OAuth2RefreshTokenGenerator());
	}

	/**
	 * Verifies this server's access tokens in-process, against the same keys it signs with: RFC 9068 {@code typ},
	 * signature, expiry (60 s clock skew), audience, and the issuer when one is configured.
	 */
	@Bean
	JwtDecoder jwtDecoder(JWKSource<SecurityContext> keys, TokenProperties properties) {
		NimbusJwtDecoder decoder = SigningKeyDecoders.forSigningKeys(keys);
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

	/** The access tokens recently verified and found live, for the REST API's bearer check and introspection. */
	@Bean
	VerifiedAccessTokens verifiedAccessTokens(JwtDecoder decoder, JdbcAuthorizationRepository repository,
			ChangeSignals signals, TokenProperties properties) {
		return new VerifiedAccessTokens(decoder, repository, signals, properties.accessTokenTtl());
	}

	@Bean
	AccessTokenAuthenticationManager accessTokenAuthenticationManager(VerifiedAccessTokens tokens,
			AccountLookup accounts, DPoPProofs proofs) {
		return new AccessTokenAuthenticationManager(tokens, accounts, proofs);
	}

}
