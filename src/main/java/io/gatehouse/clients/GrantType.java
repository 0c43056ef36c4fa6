package io.gatehouse.clients;

import java.util.Arrays;
import java.util.Optional;

/**
 * The ways a client may be granted access. {@link #apiName()} is the original system's {@code types} value, kept so
 * its scripts port over; {@link #label()} is what the console shows.
 */
public enum GrantType {

	AUTHORIZATION_CODE("authorization_code_grant", "Authorization Code Grant"),

	PASSWORD("password_client", "Password Grant"),

	PERSONAL_ACCESS("personal_access_client", "Personal Access Tokens"),

	/** The client acts as itself, through its service account. */
	CLIENT_CREDENTIALS("client_credentials", "Client Credentials Grant");

	private final String apiName;

	private final String label;

	GrantType(String apiName, String label) {
		this.apiName = apiName;
		this.label = label;
	}

	public String apiName() {
		return apiName;
	}

	public String label() {
		return label;
	}

	public static Optional<GrantType> fromApiName(String apiName) {
		return Arrays.stream(values()).filter(type -> type.apiName.equals(apiName)).findFirst();
	}

}
