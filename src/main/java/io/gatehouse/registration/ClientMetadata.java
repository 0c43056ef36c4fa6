package io.gatehouse.registration;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.gatehouse.clients.AuthClient;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.ClientPolicy;
import io.gatehouse.clients.GrantType;
import io.gatehouse.oauth.Scopes;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

import org.jspecify.annotations.Nullable;

/**
 * The client metadata of an RFC 7591 registration or an RFC 7592 update, as sent. Metadata this server does not
 * understand is ignored (RFC 7591 2); what it understands is mapped onto the console's client, whose rules
 * ({@code clients.AuthClientRules}) are then checked by the same service as the console's.
 */
@Schema(name = "ClientMetadata", description = "RFC 7591 2 client metadata; other members are ignored")
record ClientMetadata(@JsonProperty("client_id") @Schema(description = "Required on PUT, the client's own id")
@Nullable String clientId,
		@JsonProperty("client_secret") @Schema(description = "On PUT, if sent, must be one of the client's secrets")
		@Nullable String clientSecret,
		@JsonProperty("client_name") @Schema(description = "Required; unique among clients, as on the console")
		@Nullable String clientName,
		@JsonProperty("redirect_uris") @Nullable List<String> redirectUris,
		@JsonProperty("grant_types") @Schema(description = "authorization_code (default), refresh_token, password, "
				+ "client_credentials, urn:ietf:params:oauth:grant-type:token-exchange (RFC 8693; the REST API and the "
				+ "client itself as audiences, until an administrator adds others)") @Nullable List<String> grantTypes,
		@JsonProperty("response_types") @Schema(description = "code, with authorization_code")
		@Nullable List<String> responseTypes,
		@JsonProperty("token_endpoint_auth_method") @Schema(description = "client_secret_basic (default), "
				+ "client_secret_post, or none for a public client (PKCE required)")
		@Nullable String tokenEndpointAuthMethod,
		@Schema(description = "Space-separated: api, openid, profile, email") @Nullable String scope,
		@JsonProperty("post_logout_redirect_uris") @Nullable List<String> postLogoutRedirectUris,
		@Schema(description = "private_key_jwt: the client's public keys, a JSON Web Key Set (RFC 7591 2)")
		@Nullable JsonNode jwks,
		@JsonProperty("jwks_uri") @Schema(description = "private_key_jwt: an https URL of the client's JSON Web Key "
				+ "Set") @Nullable String jwksUri) {

	static final String CLIENT_SECRET_BASIC = "client_secret_basic";

	static final String CLIENT_SECRET_POST = "client_secret_post";

	static final String NONE = "none";

	static final String PRIVATE_KEY_JWT = "private_key_jwt";

	/** RFC 8693 4.1 (the grant_type value registered with IANA). */
	static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

	/**
	 * The client this metadata asks for. {@code current} is the client being replaced (RFC 7592 2.2), null on
	 * registration: what only an administrator sets (introspection of other clients' tokens, pushed authorization
	 * requests, DPoP required, revocation on logout, personal access tokens, token lifetimes, scopes, skip consent,
	 * rate limit) is kept from it, never taken from the request. Throws
	 * {@link RegistrationException} ({@code invalid_client_metadata}) for metadata this server refuses.
	 */
	AuthClientDraft toDraft(@Nullable AuthClient current) {
		List<String> problems = new ArrayList<>();
		boolean keys = PRIVATE_KEY_JWT.equals(tokenEndpointAuthMethod);
		if (!keys && (jwks != null || jwksUri != null)) {
			problems.add("jwks and jwks_uri go with token_endpoint_auth_method private_key_jwt.");
		}
		if (jwks != null && !jwks.isObject()) {
			problems.add("jwks must be a JSON Web Key Set, an object.");
		}
		boolean publicClient = publicClient(problems);
		Set<GrantType> grants = grants(problems);
		checkResponseTypes(grants, problems);
		checkScope(problems);
		List<String> redirects = strings("redirect_uris", redirectUris, problems);
		List<String> postLogout = strings("post_logout_redirect_uris", postLogoutRedirectUris, problems);
		if (current != null && current.publicClient() != publicClient) {
			problems.add("token_endpoint_auth_method cannot change between none and a client secret; register a "
					+ "new client instead.");
		}
		if (!problems.isEmpty()) {
			throw RegistrationException.metadata(String.join(" ", problems));
		}
		if (current != null && current.allows(GrantType.PERSONAL_ACCESS)) {
			grants.add(GrantType.PERSONAL_ACCESS);
		}
		boolean introspectOthers = current != null && current.introspectOthers() && !publicClient;
		boolean requirePar = current != null && current.requirePar() && !publicClient
				&& grants.contains(GrantType.AUTHORIZATION_CODE);
		boolean revokeOnLogout = current != null && current.revokeTokensOnLogout();
		// an administrator's choice that a client must not lift for itself
		boolean requireDpop = current != null && current.requireDpop();
		// the keys themselves are the client's to rotate (RFC 7592 2.2); the service checks them as the console does
		AuthClientDraft.Authentication authentication = keys
				? new AuthClientDraft.Authentication(PRIVATE_KEY_JWT, jwks == null ? null : jwks.toString(), jwksUri)
				: AuthClientDraft.Authentication.FROM_PUBLIC_FLAG;
		// lifetimes, scopes, consent and rate limit are an administrator's too
		ClientPolicy policy = current == null ? ClientPolicy.DEFAULT : current.policy();
		if (!grants.contains(GrantType.TOKEN_EXCHANGE) && !policy.exchangeAudiences().isEmpty()) {
			// the audiences go with the grant; a client that gives the grant up gives them up too
			policy = policy.withExchangeAudiences(List.of());
		}
		return new AuthClientDraft(clientName, grants, redirects, publicClient, introspectOthers, requirePar,
				postLogout, revokeOnLogout, requireDpop, authentication, policy);
	}

	private boolean publicClient(List<String> problems) {
		String method = tokenEndpointAuthMethod == null ? CLIENT_SECRET_BASIC : tokenEndpointAuthMethod;
		return switch (method) {
			case CLIENT_SECRET_BASIC, CLIENT_SECRET_POST -> false;
			case NONE -> true;
			case PRIVATE_KEY_JWT -> false;
			default -> {
				problems.add("token_endpoint_auth_method must be client_secret_basic, client_secret_post, "
						+ "private_key_jwt or none.");
				yield false;
			}
		};
	}

	/** RFC 7591 2: {@code authorization_code} when none are given. */
	private Set<GrantType> grants(List<String> problems) {
		Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
		boolean refresh = false;
		for (String grant : grantTypes == null ? List.of("authorization_code") : grantTypes) {
			switch (Objects.requireNonNullElse(grant, "null")) {
				case "authorization_code" -> grants.add(GrantType.AUTHORIZATION_CODE);
				case "password" -> grants.add(GrantType.PASSWORD);
				case "client_credentials" -> grants.add(GrantType.CLIENT_CREDENTIALS);
				case TOKEN_EXCHANGE -> grants.add(GrantType.TOKEN_EXCHANGE);
				case "refresh_token" -> refresh = true;
				default -> problems.add("The grant type " + abbreviate(grant) + " is not supported.");
			}
		}
		if (refresh && !grants.contains(GrantType.AUTHORIZATION_CODE) && !grants.contains(GrantType.PASSWORD)) {
			problems.add("refresh_token comes only with authorization_code or password.");
		}
		if (grants.isEmpty() && problems.isEmpty()) {
			problems.add("grant_types must name at least one grant.");
		}
		return grants;
	}

	/** RFC 7591 2.1: {@code code} goes with {@code authorization_code}; nothing else is served. */
	private void checkResponseTypes(Set<GrantType> grants, List<String> problems) {
		if (responseTypes == null) {
			return;
		}
		for (String type : responseTypes) {
			if (!"code".equals(type)) {
				problems.add("The response type " + abbreviate(type) + " is not supported: only code.");
			}
			else if (!grants.contains(GrantType.AUTHORIZATION_CODE)) {
				problems.add("The response type code needs the authorization_code grant.");
			}
		}
	}

	private void checkScope(List<String> problems) {
		if (scope == null) {
			return;
		}
		for (String value : scope.trim().split(" +")) {
			if (!value.isEmpty() && !Scopes.ALL.contains(value)) {
				problems.add("The scope " + abbreviate(value) + " is not known.");
			}
		}
	}

	private static List<String> strings(String field, @Nullable List<String> values, List<String> problems) {
		if (values == null) {
			return List.of();
		}
		if (values.stream().anyMatch(Objects::isNull)) {
			problems.add(field + " must list strings.");
			return List.of();
		}
		return values;
	}

	private static String abbreviate(@Nullable String value) {
		if (value == null) {
			return "null";
		}
		return value.length() <= 40 ? value : value.substring(0, 37) + "...";
	}

}
