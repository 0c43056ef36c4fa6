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
		boolean revokeTokensOnLogout, boolean requireDpop, Authentication authentication, ClientPolicy policy) {

	/**
	 * The authentication method as asked for (RFC 7591 names), and the keys of a {@code private_key_jwt} client.
	 *
	 * @param method null: as the {@code public} flag implies (none, or a client secret)
	 * @param jwks a JSON Web Key Set as JSON, or null
	 * @param jwksUri a URL, or null
	 */
	public record Authentication(@Nullable String method, @Nullable String jwks, @Nullable String jwksUri) {

		/** Nothing asked for: the method follows from the {@code public} flag. */
		public static final Authentication FROM_PUBLIC_FLAG = new Authentication(null, null, null);

	}

	public AuthClientDraft {
		grants = Set.copyOf(grants);
		redirectUris = List.copyOf(redirectUris);
		postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
	}

	/** A client with the server's default policy. */
	public AuthClientDraft(@Nullable String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers, boolean requirePar, List<String> postLogoutRedirectUris,
			boolean revokeTokensOnLogout, boolean requireDpop, Authentication authentication) {
		this(name, grants, redirectUris, publicClient, introspectOthers, requirePar, postLogoutRedirectUris,
				revokeTokensOnLogout, requireDpop, authentication, ClientPolicy.DEFAULT);
	}

	/** A client that need not use DPoP, whose authentication method follows from {@code publicClient}. */
	public AuthClientDraft(@Nullable String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers, boolean requirePar, List<String> postLogoutRedirectUris,
			boolean revokeTokensOnLogout, ClientPolicy policy) {
		this(name, grants, redirectUris, publicClient, introspectOthers, requirePar, postLogoutRedirectUris,
				revokeTokensOnLogout, false, Authentication.FROM_PUBLIC_FLAG, policy);
	}

	/** A client whose authentication method follows from {@code publicClient}. */
	public AuthClientDraft(@Nullable String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers, boolean requirePar, List<String> postLogoutRedirectUris,
			boolean revokeTokensOnLogout, boolean requireDpop) {
		this(name, grants, redirectUris, publicClient, introspectOthers, requirePar, postLogoutRedirectUris,
				revokeTokensOnLogout, requireDpop, Authentication.FROM_PUBLIC_FLAG);
	}

	/** A client that need not use DPoP. */
	public AuthClientDraft(@Nullable String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers, boolean requirePar, List<String> postLogoutRedirectUris,
			boolean revokeTokensOnLogout, Authentication authentication) {
		this(name, grants, redirectUris, publicClient, introspectOthers, requirePar, postLogoutRedirectUris,
				revokeTokensOnLogout, false, authentication);
	}

	/** A client that need not use DPoP, whose authentication method follows from {@code publicClient}. */
	public AuthClientDraft(@Nullable String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers, boolean requirePar, List<String> postLogoutRedirectUris,
			boolean revokeTokensOnLogout) {
		this(name, grants, redirectUris, publicClient, introspectOthers, requirePar, postLogoutRedirectUris,
				revokeTokensOnLogout, false, Authentication.FROM_PUBLIC_FLAG);
	}

	/** A client whose logout leaves its tokens alone. */
	public AuthClientDraft(@Nullable String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers, boolean requirePar, List<String> postLogoutRedirectUris) {
		this(name, grants, redirectUris, publicClient, introspectOthers, requirePar, postLogoutRedirectUris, false);
	}

	/** A client without post-logout redirect URIs. */
	public AuthClientDraft(@Nullable String name, Set<GrantType> grants, List<String> redirectUris,
			boolean publicClient, boolean introspectOthers, boolean requirePar) {
		this(name, grants, redirectUris, publicClient, introspectOthers, requirePar, List.of(), false, false);
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
