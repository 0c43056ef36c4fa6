package io.gatehouse.clients;

import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.nimbusds.jose.jwk.JWKSet;
import io.swagger.v3.oas.annotations.media.Schema;

import org.jspecify.annotations.Nullable;

/**
 * An auth client as the REST API shows it, in the original system's shape. {@code redirect} is the original's
 * single string: all registered URLs joined with commas (as Laravel Passport does); {@code redirect_uris} lists
 * them one by one. {@code secret} is present only in the response that created or regenerated it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AuthClientJson(String id, String name,
		List<String> types,
		String redirect, @JsonProperty("redirect_uris") List<String> redirectUris,
		@JsonProperty("public") @Schema(description = "No secret; PKCE required; authorization code only")
		boolean publicClient,
		@JsonProperty("introspect_others")
		@Schema(description = "May introspect tokens issued to other clients (a resource server)")
		boolean introspectOthers,
		@JsonProperty("require_par")
		@Schema(description = "Authorization requests only as pushed authorization requests (RFC 9126) "
				+ "through /oauth/par")
		boolean requirePar,
		@JsonProperty("post_logout_redirect_uris")
		@Schema(description = "Where OpenID Connect RP-initiated logout (/oauth/logout) may send the browser back to")
		List<String> postLogoutRedirectUris,
		@JsonProperty("revoke_tokens_on_logout")
		@Schema(description = "Logout through this client (/oauth/logout) also revokes the user's tokens for it")
		boolean revokeTokensOnLogout,
		@JsonProperty("require_dpop")
		@Schema(description = "Every token request must carry a DPoP proof (RFC 9449); its access tokens are bound "
				+ "to the client's key")
		boolean requireDpop,
		@JsonProperty("service_account_id")
		@Schema(description = "The account the client acts as with client_credentials") @Nullable Long serviceAccountId,
		boolean revoked,
		@JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt,
		@Schema(description = "Shown only once, on create and on secret regeneration") @Nullable String secret,
		@JsonProperty("token_endpoint_auth_method")
		@Schema(description = "How the client authenticates at the token endpoint (RFC 7591): client_secret_basic, "
				+ "client_secret_post (either accepts the secret both ways), private_key_jwt (RFC 7523) or none "
				+ "(public)", allowableValues = { "client_secret_basic", "client_secret_post", "private_key_jwt",
						"none" })
		String tokenEndpointAuthMethod,
		@Schema(description = "The private_key_jwt client's public keys, a JSON Web Key Set") @Nullable
		Map<String, Object> jwks,
		@JsonProperty("jwks_uri")
		@Schema(description = "Where the server fetches the private_key_jwt client's JSON Web Key Set (https)")
		@Nullable String jwksUri,
		@JsonProperty("access_token_lifetime") @JsonInclude(JsonInclude.Include.ALWAYS)
		@Schema(description = "Seconds its access tokens live (60 to 86400); null for the server's default")
		@Nullable Long accessTokenLifetime,
		@JsonProperty("refresh_token_lifetime") @JsonInclude(JsonInclude.Include.ALWAYS)
		@Schema(description = "Seconds its refresh tokens live (300 to 7776000); null for the server's default")
		@Nullable Long refreshTokenLifetime,
		@JsonInclude(JsonInclude.Include.ALWAYS)
		@Schema(description = "The scopes it may ask for (api, openid, profile, email); null for all of them")
		@Nullable List<String> scopes,
		@JsonProperty("skip_consent")
		@Schema(description = "A first-party application: the authorization code grant does not ask the user "
				+ "for consent, and records it as given (the user can still withdraw it)")
		boolean skipConsent,
		@JsonProperty("rate_limit") @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable RateLimitJson rateLimit,
		@JsonProperty("last_used_at") @JsonInclude(JsonInclude.Include.ALWAYS)
		@Schema(description = "When a token was last issued to it (recorded at most about once a minute); "
				+ "null for never. The list sorts by it with order_by=last_used_at")
		@Nullable Instant lastUsedAt,
		@JsonProperty("token_exchange_audiences")
		@Schema(description = "With token_exchange (RFC 8693): the client ids of the other clients it may exchange "
				+ "tokens for (audience); the REST API (gatehouse-api) and the client itself are always allowed")
		List<String> tokenExchangeAudiences) {

	static AuthClientJson of(AuthClient client) {
		return of(client, null);
	}

	static AuthClientJson of(AuthClient client, @Nullable String secret) {
		return new AuthClientJson(client.id(), client.name(),
				client.orderedGrants().stream().map(GrantType::apiName).toList(),
				String.join(",", client.redirectUris()), client.redirectUris(), client.publicClient(),
				client.introspectOthers(), client.requirePar(), client.postLogoutRedirectUris(),
				client.revokeTokensOnLogout(), client.requireDpop(), client.serviceAccountId(), client.revoked(),
				client.createdAt(), client.updatedAt(), secret, client.authentication().method().apiName(),
				jwks(client.authentication().jwks()), client.authentication().jwksUri(),
				ClientPolicy.seconds(client.policy().accessTokenLifetime()),
				ClientPolicy.seconds(client.policy().refreshTokenLifetime()), client.policy().scopeList(),
				client.policy().skipConsent(), RateLimitJson.of(client.policy().rateLimit()), client.lastUsedAt(),
				client.policy().exchangeAudiences());
	}

	private static @Nullable Map<String, Object> jwks(@Nullable String json) {
		try {
			return json == null ? null : JWKSet.parse(json).toJSONObject(true);
		}
		catch (ParseException storedValid) {
			throw new IllegalStateException(storedValid);
		}
	}

}
