package io.gatehouse.clients;

import java.util.Arrays;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * How a client authenticates at the token endpoint (RFC 7591 2, {@code token_endpoint_auth_method}) and, for
 * {@code private_key_jwt} (RFC 7523 2.2), where its public keys are: inline ({@code jwks}, public keys only) or at a
 * {@code jwks_uri}, exactly one of the two.
 *
 * @param jwks the client's JSON Web Key Set, public keys only, as JSON; null unless {@code private_key_jwt}
 * @param jwksUri where the server fetches that set; null unless {@code private_key_jwt}
 */
public record ClientAuthentication(Method method, @Nullable String jwks, @Nullable String jwksUri) {

	/** A client secret, sent with HTTP Basic or in the form body. */
	public static final ClientAuthentication SECRET = new ClientAuthentication(Method.CLIENT_SECRET_BASIC, null, null);

	/** A public client: no credentials, PKCE instead. */
	public static final ClientAuthentication NONE = new ClientAuthentication(Method.NONE, null, null);

	/** The methods, by their RFC 7591 names. */
	public enum Method {

		CLIENT_SECRET_BASIC("client_secret_basic", "Client secret (HTTP Basic)"),
		CLIENT_SECRET_POST("client_secret_post", "Client secret (in the form body)"),
		PRIVATE_KEY_JWT("private_key_jwt", "Private key JWT (a signed assertion, RFC 7523)"),
		NONE("none", "None: a public client (PKCE)");

		private final String apiName;

		private final String label;

		Method(String apiName, String label) {
			this.apiName = apiName;
			this.label = label;
		}

		public String apiName() {
			return this.apiName;
		}

		public String label() {
			return this.label;
		}

		public static Optional<Method> fromApiName(String name) {
			return Arrays.stream(values()).filter(method -> method.apiName.equals(name)).findFirst();
		}

	}

	public ClientAuthentication {
		if (method != Method.PRIVATE_KEY_JWT && (jwks != null || jwksUri != null)) {
			throw new IllegalArgumentException("keys only with private_key_jwt");
		}
	}

	/** The method the {@code public} flag alone implies: none, or a client secret. */
	public static ClientAuthentication of(boolean publicClient) {
		return publicClient ? NONE : SECRET;
	}

	/**
	 * Whether the client authenticates with a secret. Both secret methods accept the secret either way (HTTP Basic or
	 * form body), as every confidential client did before the method could be chosen; the choice is what the client
	 * is registered as using.
	 */
	public boolean usesSecret() {
		return this.method == Method.CLIENT_SECRET_BASIC || this.method == Method.CLIENT_SECRET_POST;
	}

	public boolean usesKeys() {
		return this.method == Method.PRIVATE_KEY_JWT;
	}

}
