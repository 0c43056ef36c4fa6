package io.gatehouse.clients;

import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What an administrator asks a client to be, from the console form or the API, not yet validated.
 * {@link AuthClientService} checks every rule before anything is written.
 */
public record AuthClientDraft(@Nullable String name, Set<GrantType> grants, List<String> redirectUris,
		boolean publicClient, boolean introspectOthers, boolean requirePar, List<String> postLogoutRedirectUris,
		boolean revokeTokensOnLogout, ClientPolicy policy) {

	public AuthClientDraft {
		grants = Set.copyOf(grants);
		redirectUris = List.copyOf(redirectUris);
		postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
	}

	/** A client with the server's default policy. */
	public AuthClientDraft(@Nullable String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers, boolean requirePar, List<String> postLogoutRedirectUris,
			boolean revokeTokensOnLogout) {
		this(name, grants, redirectUris, publicClient, introspectOthers, requirePar, postLogoutRedirectUris,
				revokeTokensOnLogout, ClientPolicy.DEFAULT);
	}

	/** A client whose logout leaves its tokens alone. */
	public AuthClientDraft(@Nullable String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers, boolean requirePar, List<String> postLogoutRedirectUris) {
		this(name, grants, redirectUris, publicClient, introspectOthers, requirePar, postLogoutRedirectUris, false);
	}

	/** A client without post-logout redirect URIs. */
	public AuthClientDraft(@Nullable String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers, boolean requirePar) {
		this(name, grants, redirectUris, publicClient, introspectOthers, requirePar, List.of(), false);
	}

	/** A client that does not require pushed authorization requests. */
	public AuthClientDraft(@Nullable String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers) {
		this(name, grants, redirectUris, publicClient, introspectOthers, false);
	}

	/** A client that may introspect only its own tokens. */
	public AuthClientDraft(@Nullable String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient) {
		this(name, grants, redirectUris, publicClient, false, false);
	}

	/** A confidential client. */
	public AuthClientDraft(@Nullable String name, Set<GrantType> grants, List<String> redirectUris) {
		this(name, grants, redirectUris, false, false, false);
	}

}
