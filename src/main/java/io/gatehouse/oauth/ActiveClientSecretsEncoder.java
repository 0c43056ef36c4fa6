package io.gatehouse.oauth;

import io.gatehouse.clients.AuthClientService;

import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Checks a presented client secret against every active secret of the client, for Spring's
 * {@code ClientSecretAuthenticationProvider}, which compares one stored value per registered client: the registered
 * client names its own id where Spring expects that value ({@link AuthClientRegisteredClientRepository}), and this
 * checks the secret against the client's secrets with one lookup by its SHA-256 and the expiry at this moment
 * ({@link AuthClientService#secretMatches}). Spring's provider is kept rather than replaced because it also performs
 * the PKCE check of confidential clients, which Spring offers nowhere else. Never used for user passwords.
 */
final class ActiveClientSecretsEncoder implements PasswordEncoder {

	private final AuthClientService clients;

	ActiveClientSecretsEncoder(AuthClientService clients) {
		this.clients = clients;
	}

	@Override
	public String encode(@Nullable CharSequence rawPassword) {
		throw new UnsupportedOperationException("Client secrets are added by the console and the REST API");
	}

	/** {@code clientId} is what the registered client holds in place of a secret: its id. */
	@Override
	public boolean matches(@Nullable CharSequence rawPassword, @Nullable String clientId) {
		return rawPassword != null && clientId != null && clients.secretMatches(clientId, rawPassword.toString());
	}

}
