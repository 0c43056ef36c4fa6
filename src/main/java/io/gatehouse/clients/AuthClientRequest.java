package io.gatehouse.clients;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
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
		@JsonProperty("rate_limit") @Nullable RateLimitJson rateLimit) {

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
		return new AuthClientDraft(name, grants, uris, Boolean.TRUE.equals(publicClient),
				Boolean.TRUE.equals(introspectOthers), Boolean.TRUE.equals(requirePar),
				postLogoutRedirectUris == null ? List.of()
						: postLogoutRedirectUris.stream().map(uri -> uri == null ? "" : uri).toList(),
				Boolean.TRUE.equals(revokeTokensOnLogout),
				new ClientPolicy(ClientPolicy.seconds(accessTokenLifetime), ClientPolicy.seconds(refreshTokenLifetime),
						scopes == null ? null : scopes.stream().map(String::valueOf).collect(Collectors.toSet()),
						Boolean.TRUE.equals(skipConsent), rateLimit == null ? null : rateLimit.toLimit()));
	}

}
