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
 * @param serviceAccountId the account the client acts as through the client credentials grant, once it has one
 * @param version incremented by every change; the basis of optimistic concurrency and of ETags
 * @param policy its token lifetimes, scopes and consent, where they differ from the server's defaults
 * @param lastUsedAt when a token was last issued to it (recorded at most about once a minute); null for never
 */
public record AuthClient(String id, String name, Set<GrantType> grants, List<String> redirectUris,
		boolean publicClient, boolean introspectOthers, boolean requirePar, List<String> postLogoutRedirectUris,
		boolean revokeTokensOnLogout, @Nullable Long serviceAccountId, boolean revoked, int version, Instant createdAt,
		Instant updatedAt, ClientPolicy policy, @Nullable Instant lastUsedAt) {

	public AuthClient {
		grants = grants.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(grants));
		redirectUris = List.copyOf(redirectUris);
		postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
	}

	/** A client never used yet. */
	public AuthClient(String id, String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers, boolean requirePar, List<String> postLogoutRedirectUris,
			boolean revokeTokensOnLogout, @Nullable Long serviceAccountId, boolean revoked, int version,
			Instant createdAt, Instant updatedAt, ClientPolicy policy) {
		this(id, name, grants, redirectUris, publicClient, introspectOthers, requirePar, postLogoutRedirectUris,
				revokeTokensOnLogout, serviceAccountId, revoked, version, createdAt, updatedAt, policy, null);
	}

	/** A client with the server's default policy. */
	public AuthClient(String id, String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers, boolean requirePar, List<String> postLogoutRedirectUris,
			boolean revokeTokensOnLogout, @Nullable Long serviceAccountId, boolean revoked, int version,
			Instant createdAt, Instant updatedAt) {
		this(id, name, grants, redirectUris, publicClient, introspectOthers, requirePar, postLogoutRedirectUris,
				revokeTokensOnLogout, serviceAccountId, revoked, version, createdAt, updatedAt, ClientPolicy.DEFAULT);
	}

	/** A client that does not require pushed authorization requests. */
	public AuthClient(String id, String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers, @Nullable Long serviceAccountId, boolean revoked,
			int version, Instant createdAt, Instant updatedAt) {
		this(id, name, grants, redirectUris, publicClient, introspectOthers, false, List.of(), false,
				serviceAccountId, revoked, version, createdAt, updatedAt);
	}

	/** A confidential client without a service account. */
	public AuthClient(String id, String name, Set<GrantType> grants, List<String> redirectUris, boolean revoked,
			int version, Instant createdAt, Instant updatedAt) {
		this(id, name, grants, redirectUris, false, false, false, List.of(), false, null, revoked, version,
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
