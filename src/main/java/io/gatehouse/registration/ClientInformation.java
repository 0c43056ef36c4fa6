package io.gatehouse.registration;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.gatehouse.clients.AuthClient;
import io.gatehouse.clients.GrantType;
import io.gatehouse.oauth.Scopes;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.jspecify.annotations.Nullable;

/**
 * RFC 7591 3.2.1 client information response, also the RFC 7592 3 read and update response: the client as
 * registered (which may differ from what was asked, RFC 7591 3.2.1), with its registration access token and URI.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "ClientInformation")
record ClientInformation(@JsonProperty("client_id") String clientId,
		@JsonProperty("client_secret") @Schema(description = "Only in the registration response, this once")
		@Nullable String clientSecret,
		@JsonProperty("client_id_issued_at") long clientIdIssuedAt,
		@JsonProperty("client_secret_expires_at") @Schema(description = "0: the secret does not expire")
		@Nullable Long clientSecretExpiresAt,
		@JsonProperty("client_name") String clientName, @JsonProperty("redirect_uris") List<String> redirectUris,
		@JsonProperty("grant_types") List<String> grantTypes,
		@JsonProperty("response_types") List<String> responseTypes,
		@JsonProperty("token_endpoint_auth_method") @Schema(description = "client_secret_basic, client_secret_post "
				+ "(either accepts the secret both ways), private_key_jwt or none") String tokenEndpointAuthMethod,
		@Schema(description = "private_key_jwt: the client's public keys") @Nullable JsonNode jwks,
		@JsonProperty("jwks_uri") @Schema(description = "private_key_jwt: where its keys are fetched")
		@Nullable String jwksUri,
		@Schema(description = "The scopes its grants may ask for") String scope,
		@JsonProperty("post_logout_redirect_uris") List<String> postLogoutRedirectUris,
		@JsonProperty("registration_access_token") @Schema(description = "The token that reads, replaces and "
				+ "deletes this client at registration_client_uri (RFC 7592); stored only as a hash")
		String registrationAccessToken,
		@JsonProperty("registration_client_uri") String registrationClientUri) {

	static ClientInformation of(AuthClient client, @Nullable String secret, String registrationAccessToken,
			String registrationClientUri) {
		Set<String> grants = new LinkedHashSet<>();
		client.orderedGrants()
			.forEach(grant -> grant.tokenEndpointGrants()
				.forEach(type -> grants.add(type.getValue())));
		boolean code = client.allows(GrantType.AUTHORIZATION_CODE);
		return new ClientInformation(client.id(), secret, client.createdAt().getEpochSecond(),
				client.authentication().usesSecret() ? 0L : null, client.name(), client.redirectUris(),
				new ArrayList<>(grants), code ? List.of("code") : List.of(),
				client.authentication().method().apiName(), jwks(client.authentication().jwks()),
				client.authentication().jwksUri(), scope(client), client.postLogoutRedirectUris(),
				registrationAccessToken, registrationClientUri);
	}

	/** The stored set, valid when it was saved. */
	private static @Nullable JsonNode jwks(@Nullable String json) {
		return json == null ? null : JSON.readTree(json);
	}

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Sign-in scopes come with the code grant, the one that signs a user in; every grant may ask for api. */
	private static String scope(AuthClient client) {
		if (client.allows(GrantType.AUTHORIZATION_CODE)) {
			return String.join(" ", Scopes.API, "openid", "profile", "email");
		}
		return Scopes.API;
	}

}
