package io.gatehouse.clients;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.swagger.v3.oas.annotations.media.Schema;

import io.gatehouse.api.FieldErrors;

import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST} and {@code PUT /api/1.0/auth-clients}. Redirect URLs come either as {@code redirect_uris}
 * (an array) or, as in the original system, as {@code redirect} (one string, several URLs separated by commas); when
 * both are sent, {@code redirect_uris} wins, since {@link AuthClientJson} shows both. The read-only fields of
 * {@link AuthClientJson} are accepted and ignored, so what {@code GET} returns can be sent back as it is; any other
 * unknown field is refused.
 */
@JsonIgnoreProperties({ "id", "revoked", "service_account_id", "created_at", "updated_at", "secret",
	"last_used_at" })
record AuthClientRequest(@Nullable String name,
		@Nullable List<String> types,
		@Nullable String redirect, @JsonProperty("redirect_uris") @Nullable List<String> redirectUris,
		@JsonProperty("public") @Nullable Boolean publicClient,
		@JsonProperty("introspect_others")
		@Schema(description = "May introspect tokens issued to other clients (a resource server)")
		@Nullable Boolean introspectOthers,
		@JsonProperty("require_par")
		@Schema(description = "Authorization requests only as pushed authorization requests (RFC 9126) "
				+ "through /oauth/par")
		@Nullable Boolean requirePar,
		@JsonProperty("post_logout_redirect_uris")
		@Schema(description = "Where OpenID Connect RP-initiated logout (/oauth/logout) may send the browser back to")
		@Nullable List<String> postLogoutRedirectUris,
		@JsonProperty("revoke_tokens_on_logout")
		@Schema(description = "Logout through this client (/oauth/logout) also revokes the user's tokens for it")
		@Nullable Boolean revokeTokensOnLogout,
		@JsonProperty("require_dpop")
		@Schema(description = "Every token request must carry a DPoP proof (RFC 9449); its access tokens are bound "
				+ "to the client's key")
		@Nullable Boolean requireDpop,
		@JsonProperty("token_endpoint_auth_method")
		@Schema(description = "client_secret_basic (the default), client_secret_post, private_key_jwt (with jwks or "
				+ "jwks_uri) or none (a public client; the same as \"public\": true)",
				allowableValues = { "client_secret_basic", "client_secret_post", "private_key_jwt", "none" })
		@Nullable String tokenEndpointAuthMethod,
		@Schema(description = "private_key_jwt: the client's public keys as a JSON Web Key Set (no private key)")
		@Nullable Map<String, Object> jwks,
		@JsonProperty("jwks_uri")
		@Schema(description = "private_key_jwt: an https URL of the client's JSON Web Key Set")
		@Nullable String jwksUri,
		@JsonProperty("access_token_lifetime")
		@Schema(description = "Seconds its access tokens live (60 to 86400); null for the server's default")
		@Nullable Long accessTokenLifetime,
		@JsonProperty("refresh_token_lifetime")
		@Schema(description = "Seconds its refresh tokens live (300 to 7776000); null for the server's default")
		@Nullable Long refreshTokenLifetime,
		@Schema(description = "The scopes it may ask for (api, openid, profile, email); null or absent for all")
		@Nullable List<String> scopes,
		@JsonProperty("skip_consent")
		@Schema(description = "A first-party application: no consent page in the authorization code grant; "
				+ "the consent is recorded as given")
		@Nullable Boolean skipConsent,
		@JsonProperty("rate_limit") @Nullable RateLimitJson rateLimit,
		@JsonProperty("token_exchange_audiences")
		@Schema(description = "With token_exchange (RFC 8693): the client ids of the other live clients it may "
				+ "exchange tokens for; the REST API and the client itself are always allowed")
		@Nullable List<String> tokenExchangeAudiences) {

	AuthClientDraft toDraft() {
		FieldErrors errors = new FieldErrors();
		Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
		for (String type : types == null ? List.<String>of() : types) {
			GrantType.fromApiName(String.valueOf(type)).ifPresentOrElse(grants::add,
					() -> errors.add("types", "The selected types is invalid."));
		}
		errors.throwIfAny();
		List<String> uris = new ArrayList<>();
		if (redirectUris != null) {
			redirectUris.stream().map(uri -> uri == null ? "" : uri).forEach(uris::add);
		}
		else if (redirect != null) {
			uris.addAll(Arrays.asList(redirect.split(",")));
		}
		// "public" and the method say the same; given alone, either one decides
		boolean isPublic = publicClient != null ? publicClient : "none".equals(tokenEndpointAuthMethod);
		return new AuthClientDraft(name, grants, uris, isPublic,
				Boolean.TRUE.equals(introspectOthers), Boolean.TRUE.equals(requirePar),
				postLogoutRedirectUris == null ? List.of()
						: postLogoutRedirectUris.stream().map(uri -> uri == null ? "" : uri).toList(),
				Boolean.TRUE.equals(revokeTokensOnLogout), Boolean.TRUE.equals(requireDpop),
				new AuthClientDraft.Authentication(tokenEndpointAuthMethod,
						jwks == null ? null : JSONObjectUtils.toJSONString(jwks), jwksUri),
				new ClientPolicy(ClientPolicy.seconds(accessTokenLifetime), ClientPolicy.seconds(refreshTokenLifetime),
						scopes == null ? null : scopes.stream().map(String::valueOf).collect(Collectors.toSet()),
						Boolean.TRUE.equals(skipConsent), rateLimit == null ? null : rateLimit.toLimit(),
						tokenExchangeAudiences == null ? List.of()
								: tokenExchangeAudiences.stream().map(String::valueOf).toList()));
	}

}
