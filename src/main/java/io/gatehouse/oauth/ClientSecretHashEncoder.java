package io.gatehouse.oauth;

import io.gatehouse.secrets.Secrets;

import org.jspecify.annotations.Nullable;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Checks a presented client secret against its stored SHA-256 (constant-time). Client secrets carry 256 random bits,
 * so a fast hash is safe, and it keeps client authentication at the token endpoint to microseconds where bcrypt
 * would cost tens of milliseconds per request. Never used for user passwords.
 */
final class ClientSecretHashEncoder implements PasswordEncoder {

	@Override
	public String encode(@Nullable CharSequence rawPassword) {
		return Secrets.sha256(String.valueOf(rawPassword));
	}

	@Override
	public boolean matches(@Nullable CharSequence rawPassword, @Nullable String encodedPassword) {
		return rawPassword != null && encodedPassword != null
				&& Secrets.matches(rawPassword.toString(), encodedPassword);
	}

}
