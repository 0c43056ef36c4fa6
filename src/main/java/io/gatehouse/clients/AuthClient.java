package io.gatehouse.clients;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * A registered client application. Carries no secret: the secret exists only as a hash in storage, and in plain
 * text only in the one response that creates or regenerates it ({@link IssuedSecret}).
 *
 * @param id the OAuth {@code client_id}
 * @param redirectUris registered redirect URIs, in the order entered; empty unless the code grant is enabled
 * @param publicClient a client without a secret (browser or mobile app): PKCE required, authorization code only
 * @param introspectOthers a resource server an administrator allowed to introspect tokens issued to other clients;
 *        every other client learns only about its own tokens
 * @param requirePar the authorization endpoint takes this client's requests only as pushed authorization requests
 *        (RFC 9126 5): a {@code request_uri} from {@code /oauth/par}, never parameters in the browser's URL
 * @param postLogoutRedirectUris where OpenID Connect RP-initiated logout may send the browser back to, in the order
 *        entered; empty unless the code grant is enabled
 * @param revokeTokensOnLogout OpenID Connect logout through this client also revokes the tokens the user granted it
 * @param requireDpop every token request of the client must carry a DPoP proof (RFC 9449 5.2), so every access token
 *        it gets is bound to its key
 * @param serviceAccountId the account the client acts as through the client credentials grant, once it has one
 * @param version incremented by every change; the basis of optimistic concurrency and of ETags
 * @param authentication how the client authenticates at the token endpoint; {@code none} exactly when it is public
 * @param policy its token lifetimes, scopes and consent, where they differ from the server's defaults
 * @param lastUsedAt when a token was last issued to it (recorded at most about once a minute); null for never
 */
public record AuthClient(String id, String name, Set<GrantType> grants, List<String> redirectUris,
		boolean publicClient, boolean introspectOthers, boolean requirePar, List<String> postLogoutRedirectUris,
		boolean revokeTokensOnLogout, boolean requireDpop, @Nullable Long serviceAccountId, boolean revoked,
		int version, Instant createdAt, Instant updatedAt, ClientAuthentication authentication, ClientPolicy policy,
		@Nullable Instant lastUsedAt) {

	public AuthClient {
		grants = grants.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(grants));
		redirectUris = List.copyOf(redirectUris);
		postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
		if (publicClient != (authentication.method() == ClientAuthentication.Method.NONE)) {
			throw new IllegalArgumentException("a public client authenticates with none, and only a public client");
		}
	}

	/** A client never used yet, with the server's default policy. */
	public AuthClient(String id, String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers, boolean requirePar, List<String> postLogoutRedirectUris,
			boolean revokeTokensOnLogout, boolean requireDpop, @Nullable Long serviceAccountId, boolean revoked,
			int version, Instant createdAt, Instant updatedAt, ClientAuthentication authentication) {
		this(id, name, grants, redirectUris, publicClient, introspectOthers, requirePar, postLogoutRedirectUris,
				revokeTokensOnLogout, requireDpop, serviceAccountId, revoked, version, createdAt, updatedAt,
				authentication, ClientPolicy.DEFAULT, null);
	}

	/** A client whose authentication method follows from {@code publicClient}: none, or a client secret. */
	public AuthClient(String id, String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers, boolean requirePar, List<String> postLogoutRedirectUris,
			boolean revokeTokensOnLogout, boolean requireDpop, @Nullable Long serviceAccountId, boolean revoked,
			int version, Instant createdAt, Instant updatedAt) {
		this(id, name, grants, redirectUris, publicClient, introspectOthers, requirePar, postLogoutRedirectUris,
				revokeTokensOnLogout, requireDpop, serviceAccountId, revoked, version, createdAt, updatedAt,
				ClientAuthentication.of(publicClient));
	}

	/** A client that need not use DPoP, authenticating as {@code publicClient} says, with this policy. */
	public AuthClient(String id, String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers, boolean requirePar, List<String> postLogoutRedirectUris,
			boolean revokeTokensOnLogout, @Nullable Long serviceAccountId, boolean revoked, int version,
			Instant createdAt, Instant updatedAt, ClientPolicy policy, @Nullable Instant lastUsedAt) {
		this(id, name, grants, redirectUris, publicClient, introspectOthers, requirePar, postLogoutRedirectUris,
				revokeTokensOnLogout, false, serviceAccountId, revoked, version, createdAt, updatedAt,
				ClientAuthentication.of(publicClient), policy, lastUsedAt);
	}

	/** A client never used yet, that need not use DPoP, with this policy. */
	public AuthClient(String id, String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers, boolean requirePar, List<String> postLogoutRedirectUris,
			boolean revokeTokensOnLogout, @Nullable Long serviceAccountId, boolean revoked, int version,
			Instant createdAt, Instant updatedAt, ClientPolicy policy) {
		this(id, name, grants, redirectUris, publicClient, introspectOthers, requirePar, postLogoutRedirectUris,
				revokeTokensOnLogout, serviceAccountId, revoked, version, createdAt, updatedAt, policy, null);
	}

	/** A client that need not use DPoP, authenticating as {@code publicClient} says. */
	public AuthClient(String id, String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers, boolean requirePar, List<String> postLogoutRedirectUris,
			boolean revokeTokensOnLogout, @Nullable Long serviceAccountId, boolean revoked, int version,
			Instant createdAt, Instant updatedAt) {
		this(id, name, grants, redirectUris, publicClient, introspectOthers, requirePar, postLogoutRedirectUris,
				revokeTokensOnLogout, false, serviceAccountId, revoked, version, createdAt, updatedAt);
	}

	/** A client that does not require pushed authorization requests. */
	public AuthClient(String id, String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers, @Nullable Long serviceAccountId, boolean revoked,
			int version, Instant createdAt, Instant updatedAt) {
		this(id, name, grants, redirectUris, publicClient, introspectOthers, false, List.of(), false, false,
				serviceAccountId, revoked, version, createdAt, updatedAt);
	}

	/** A confidential client without a service account. */
	public AuthClient(String id, String name, Set<GrantType> grants, List<String> redirectUris, boolean revoked,
			int version, Instant createdAt, Instant updatedAt) {
		this(id, name, grants, redirectUris, false, false, false, List.of(), false, false, null, revoked, version,
				createdAt, updatedAt);
	}

	public boolean allows(GrantType grant) {
		return grants.contains(grant);
	}

	/** Grants in declaration order, for stable display and JSON. */
	public List<GrantType> orderedGrants() {
		return grants.stream().sorted().toList();
	}

	public String grantLabels() {
		return orderedGrants().stream().map(GrantType::label).collect(Collectors.joining(", "));
	}

}
