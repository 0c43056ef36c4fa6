package io.gatehouse.clients;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

/**
 * The ways a client may be granted access, with everything each place that deals in grants needs to know about one:
 * the console form, the REST API and its OpenAPI document, storage, the token endpoint, discovery, and the
 * revocation notices. Adding a grant is a constant here and a column for it in {@code auth_client} (a migration);
 * a grant the token endpoint serves also needs its converter and provider in {@code oauth}, unless Spring's serve it.
 */
public enum GrantType {

	AUTHORIZATION_CODE("authorization_code_grant", "Authorization Code Grant", "authorization code grant",
			"authorizationCode", "authorization_code", null,
			List.of(AuthorizationGrantType.AUTHORIZATION_CODE, AuthorizationGrantType.REFRESH_TOKEN),
			"code, redirect_uri, code_verifier"),

	PASSWORD("password_client", "Password Grant", "password grant", "passwordGrant", "password_grant", null,
			List.of(new AuthorizationGrantType("password"), AuthorizationGrantType.REFRESH_TOKEN),
			"username, password, scope (wrong credentials give invalid_grant; repeated failures are throttled)"),

	PERSONAL_ACCESS("personal_access_client", "Personal Access Tokens", "personal access tokens option",
			"personalAccess", "personal_access", null, List.of(), null),

	/** The client acts as itself, through its service account. */
	CLIENT_CREDENTIALS("client_credentials", "Client Credentials Grant", "client credentials grant",
			"clientCredentials", "client_credentials",
			"The application acts as itself through a service account, which is listed under Users; grant that "
					+ "account the permissions the application needs.",
			List.of(AuthorizationGrantType.CLIENT_CREDENTIALS), "scope; acts as the client's service account"),

	/** RFC 8628: a device without a browser shows a code that the user enters on {@code /device}. */
	DEVICE_CODE("device_code", "Device Authorization Grant", "device authorization grant", "deviceCode",
			"device_code",
			"A device without a browser (a TV, a command-line tool) shows a code that the user enters at /device.",
			List.of(AuthorizationGrantType.DEVICE_CODE, AuthorizationGrantType.REFRESH_TOKEN),
			"device_code (from /oauth/device_authorization); poll no faster than its interval: authorization_pending "
					+ "until the user answers, slow_down (interval raised by 5 s), access_denied, expired_token"),

	/**
	 * RFC 8693: the client trades an access token of this server (the subject token) for a new one with at most its
	 * scopes, for the REST API or one of the client's exchange audiences; with an actor token for delegation
	 * ({@code act}), without one for impersonation.
	 */
	TOKEN_EXCHANGE("token_exchange", "Token Exchange", "token exchange grant", "tokenExchange", "token_exchange",
			"The application trades a user's access token for a narrower one, for itself or for one of the "
					+ "Exchange audiences below; revoking the original grant revokes what was exchanged.",
			List.of(AuthorizationGrantType.TOKEN_EXCHANGE),
			"subject_token, subject_token_type (urn:ietf:params:oauth:token-type:access_token), actor_token and "
					+ "actor_token_type (delegation; optional), scope (at most the subject token's), audience (a "
					+ "client id among the client's exchange audiences, or gatehouse-api), requested_token_type "
					+ "(access_token only); no refresh token");

	private final String apiName;

	private final String label;

	private final String phrase;

	private final String formField;

	private final String column;

	private final @Nullable String consoleHelp;

	private final List<AuthorizationGrantType> tokenEndpointGrants;

	private final @Nullable String tokenRequestFields;

	/**
	 * @param apiName the REST API's {@code types} value, the original system's, so its scripts port over
	 * @param label what the console shows ("Enable" + label on the form)
	 * @param phrase the end of "Saving will revoke 3 active tokens issued through the ..."
	 * @param formField the console form's checkbox parameter
	 * @param column the boolean column of {@code auth_client} that stores it
	 * @param consoleHelp a line under the form's checkbox; null for none
	 * @param tokenEndpointGrants the {@code grant_type} values it enables at the token endpoint; the first is the one
	 * its grants are recorded under; none for a grant the token endpoint does not serve
	 * @param tokenRequestFields what its token request sends, for the OpenAPI document; null when not served there
	 */
	GrantType(String apiName, String label, String phrase, String formField, String column,
			@Nullable String consoleHelp, List<AuthorizationGrantType> tokenEndpointGrants,
			@Nullable String tokenRequestFields) {
		this.apiName = apiName;
		this.label = label;
		this.phrase = phrase;
		this.formField = formField;
		this.column = column;
		this.consoleHelp = consoleHelp;
		this.tokenEndpointGrants = tokenEndpointGrants;
		this.tokenRequestFields = tokenRequestFields;
	}

	public String apiName() {
		return apiName;
	}

	public String label() {
		return label;
	}

	/** How the console's revocation notice names what the grant issued: "the password grant". */
	public String phrase() {
		return phrase;
	}

	/** The name of the console form's checkbox for the grant. */
	public String formField() {
		return formField;
	}

	/** The {@code auth_client} column that says whether a client has the grant; a constant, never user input. */
	String column() {
		return column;
	}

	/** What the console says under the grant's checkbox; null for nothing. */
	public @Nullable String consoleHelp() {
		return consoleHelp;
	}

	/** The {@code grant_type} values the grant enables at the token endpoint, first the one it records grants as. */
	public List<AuthorizationGrantType> tokenEndpointGrants() {
		return tokenEndpointGrants;
	}

	/** The {@code grant_type} its grants are recorded under; empty for a grant the token endpoint does not serve. */
	public Optional<AuthorizationGrantType> recordedAs() {
		return tokenEndpointGrants.stream().findFirst();
	}

	/** What its token request sends besides {@code grant_type}, for the OpenAPI document; null when not served. */
	public @Nullable String tokenRequestFields() {
		return tokenRequestFields;
	}

	public static Optional<GrantType> fromApiName(String apiName) {
		return Arrays.stream(values()).filter(type -> type.apiName.equals(apiName)).findFirst();
	}

}
