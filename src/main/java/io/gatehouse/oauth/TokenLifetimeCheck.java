package io.gatehouse.oauth;

import io.gatehouse.signing.SigningKeySettings;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * A retired signing key stays in the JWKS for {@code max-token-lifetime}; an access or ID token that lived longer
 * would outlive the key that verifies it. Refuses to start with settings that would let that happen.
 */
@Component
class TokenLifetimeCheck implements InitializingBean {

	private final TokenProperties tokens;

	private final SigningKeySettings signing;

	TokenLifetimeCheck(TokenProperties tokens, SigningKeySettings signing) {
		this.tokens = tokens;
		this.signing = signing;
	}

	@Override
	public void afterPropertiesSet() {
		if (tokens.accessTokenTtl().compareTo(signing.maxTokenLifetime()) > 0) {
			throw new IllegalStateException("GATEHOUSE_TOKENS_ACCESS_TOKEN_TTL (" + tokens.accessTokenTtl()
					+ ") must not exceed GATEHOUSE_TOKENS_SIGNING_MAX_TOKEN_LIFETIME (" + signing.maxTokenLifetime()
					+ "): tokens would outlive the key that verifies them.");
		}
	}

}
