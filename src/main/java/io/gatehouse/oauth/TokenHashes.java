package io.gatehouse.oauth;

import io.gatehouse.secrets.Secrets;

/**
 * Bearer secrets are stored only as their SHA-256. An authorization read back from storage cannot know the values of
 * the tokens it was not looked up by, so those carry a placeholder, {@code hash:<hex>}, which saving maps back to the
 * stored hash. No real token value starts with {@code hash:}.
 */
final class TokenHashes {

	private static final String PLACEHOLDER = "hash:";

	private TokenHashes() {
	}

	static String of(String tokenValue) {
		return tokenValue.startsWith(PLACEHOLDER) ? tokenValue.substring(PLACEHOLDER.length())
				: Secrets.sha256(tokenValue);
	}

	static String placeholder(String hash) {
		return PLACEHOLDER + hash;
	}

}
