package io.gatehouse.provisioning;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;

import org.jspecify.annotations.Nullable;

/**
 * A configuration document: what {@code GET /api/1.0/config} and {@code config export} write, and what applying
 * reads. A section ({@code clients}, {@code groups}) is the complete desired set of its kind; a section left out is
 * not managed: applying creates, changes and deletes nothing of that kind. Without {@code prune} nothing is deleted.
 *
 * @param version the document format, 1
 */
@JsonPropertyOrder({ "version", "clients", "groups" })
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "ConfigDocument", description = "The server's configuration: clients, groups, service accounts")
record ConfigDocument(@Schema(description = "The format, 1") @Nullable Integer version,
		@Nullable List<Client> clients, @Nullable List<Group> groups) {

	static final int VERSION = 1;

	/**
	 * An auth client, matched to a live client by {@code client_id}; a new client keeps the id it is given, so the
	 * applications configured with it keep working on another server. Flags left out are false, lists left out empty.
	 *
	 * @param types the grants, as the REST API names them
	 * @param secretHash input only, for a new confidential client: the SHA-256 of its secret (64 lower-case hex
	 *     digits), so the secret never passes through the server's answers. Left out, a new confidential client gets
	 *     a new secret, shown once in the result. An existing client keeps its secrets either way.
	 * @param serviceAccount for a client with {@code client_credentials}: what its service account holds; left out,
	 *     the service account is not managed
	 */
	@JsonPropertyOrder({ "client_id", "name", "types", "redirect_uris", "post_logout_redirect_uris", "public",
			"introspect_others", "require_par", "revoke_tokens_on_logout", "require_dpop", "token_endpoint_auth_method",
			"jwks", "jwks_uri", "access_token_lifetime", "refresh_token_lifetime", "scopes", "skip_consent",
			"rate_limit", "token_exchange_audiences", "secret_hash", "service_account" })
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@Schema(name = "ConfigClient")
	record Client(@JsonProperty("client_id") @Nullable String clientId, @Nullable String name,
			@Schema(description = "authorization_code_grant, password_client, personal_access_client, "
					+ "client_credentials, device_code, token_exchange") @Nullable List<String> types,
			@JsonProperty("redirect_uris") @Nullable List<String> redirectUris,
			@JsonProperty("post_logout_redirect_uris") @Nullable List<String> postLogoutRedirectUris,
			@JsonProperty("public") @Nullable Boolean publicClient,
			@JsonProperty("introspect_others") @Nullable Boolean introspectOthers,
			@JsonProperty("require_par") @Nullable Boolean requirePar,
			@JsonProperty("revoke_tokens_on_logout") @Nullable Boolean revokeTokensOnLogout,
			@JsonProperty("require_dpop") @Nullable Boolean requireDpop,
			@JsonProperty("token_endpoint_auth_method")
			@Schema(description = "client_secret_basic, client_secret_post, private_key_jwt or none; left out, as "
					+ "public implies") @Nullable String tokenEndpointAuthMethod,
			@Schema(description = "private_key_jwt: the client's public keys, a JSON Web Key Set")
			@Nullable Map<String, Object> jwks,
			@JsonProperty("jwks_uri") @Nullable String jwksUri,
			@JsonProperty("access_token_lifetime") @Schema(description = "Seconds; left out, the server's default")
			@Nullable Long accessTokenLifetime,
			@JsonProperty("refresh_token_lifetime") @Schema(description = "Seconds; left out, the server's default")
			@Nullable Long refreshTokenLifetime,
			@Schema(description = "The scopes it may ask for; left out, all") @Nullable List<String> scopes,
			@JsonProperty("skip_consent") @Nullable Boolean skipConsent,
			@JsonProperty("rate_limit") @Nullable RateLimit rateLimit,
			@JsonProperty("token_exchange_audiences")
			@Schema(description = "With token_exchange: the client ids it may exchange tokens for; left out, none")
			@Nullable List<String> tokenExchangeAudiences,
			@JsonProperty("secret_hash")
			@Schema(description = "Input only, for a new confidential client: the SHA-256 of its secret, "
					+ "64 lower-case hex digits") @Nullable String secretHash,
			@JsonProperty("service_account") @Nullable ServiceAccount serviceAccount) {
	}

	/** A client's token-endpoint rate limit: requests per second, with a burst. */
	@JsonPropertyOrder({ "per_second", "burst" })
	@Schema(name = "ConfigRateLimit")
	record RateLimit(@JsonProperty("per_second") @Nullable Integer perSecond, @Nullable Integer burst) {
	}

	/** A client's service account: its direct permissions and the groups it is a member of, by name. */
	@JsonPropertyOrder({ "permissions", "groups" })
	@Schema(name = "ConfigServiceAccount")
	record ServiceAccount(@Nullable List<String> permissions, @Nullable List<String> groups) {
	}

	/**
	 * A group, matched by name (any case). Its members that are people are managed in the console and never touched
	 * here; its service-account members are listed under their clients.
	 */
	@JsonPropertyOrder({ "name", "description", "permissions" })
	@Schema(name = "ConfigGroup")
	record Group(@Nullable String name, @Nullable String description, @Nullable List<String> permissions) {
	}

}
