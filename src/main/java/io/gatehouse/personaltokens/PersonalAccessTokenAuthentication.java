package io.gatehouse.personaltokens;

import java.util.Collection;
import java.util.List;

import io.gatehouse.personaltokens.PersonalAccessTokenService.AuthenticatedToken;
import io.gatehouse.signin.SignedInUser;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;

/**
 * A request authenticated by a personal access token. Holds no credentials: the token value is not kept after the
 * lookup.
 */
public final class PersonalAccessTokenAuthentication extends AbstractAuthenticationToken {

	private final SignedInUser user;

	private final long tokenId;

	private final String clientId;

	private final List<String> scopes;

	PersonalAccessTokenAuthentication(AuthenticatedToken token, Collection<? extends GrantedAuthority> authorities) {
		super(authorities);
		this.user = token.user();
		this.tokenId = token.tokenId();
		this.clientId = token.clientId();
		this.scopes = token.scopes();
		setAuthenticated(true);
	}

	@Override
	public SignedInUser getPrincipal() {
		return user;
	}

	@Override
	public @Nullable Object getCredentials() {
		return null;
	}

	@Override
	public String getName() {
		return user.username();
	}

	public long tokenId() {
		return tokenId;
	}

	/** The client the token was issued through. */
	public String clientId() {
		return clientId;
	}

	public List<String> scopes() {
		return scopes;
	}

}
