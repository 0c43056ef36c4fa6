package io.gatehouse.oauth;

import io.gatehouse.oauth.JdbcAuthorizationRepository.NewGrantRows;
import io.gatehouse.oauth.JdbcAuthorizationRepository.RotationRows;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The token store as the token endpoint uses it: a brand-new grant that is only rows to insert (client credentials,
 * the password grant, token exchange; see {@link JdbcTokenStore#newGrant}) and a refresh token's plain rotation (see
 * {@link JdbcTokenStore#rotation}) are committed with other requests' by {@link TokenStoreGroupCommit}; everything
 * else, a rotation the group could not claim, and any save inside a transaction of the caller's (whose atomicity the
 * group's own transaction would break), goes to {@link JdbcTokenStore} as before.
 */
@Component
class GroupCommittedTokenStore implements OAuth2AuthorizationService {

	private final JdbcTokenStore store;

	private final TokenStoreGroupCommit groupCommit;

	GroupCommittedTokenStore(JdbcTokenStore store, TokenStoreGroupCommit groupCommit) {
		this.store = store;
		this.groupCommit = groupCommit;
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			store.save(authorization);
			return;
		}
		NewGrantRows grant = store.newGrant(authorization);
		if (grant != null) {
			groupCommit.commit(grant);
			store.committed(grant);
			return;
		}
		RotationRows rotation = store.rotation(authorization);
		if (rotation != null && groupCommit.rotate(rotation)) {
			store.rotated(rotation);
			return;
		}
		// anything else, and a rotation whose token another request claimed first (a reuse, which save handles)
		store.save(authorization);
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
		store.remove(authorization);
	}

	@Override
	public @Nullable OAuth2Authorization findById(String id) {
		return store.findById(id);
	}

	@Override
	public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
		return store.findByToken(token, tokenType);
	}

}
