package io.gatehouse.registration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.gatehouse.api.ValidationException;

/**
 * A registration request refused with an RFC 7591 3.2.2 error ({@code invalid_redirect_uri},
 * {@code invalid_client_metadata}; 400) or an RFC 6750 {@code invalid_token} (401). Nothing was written.
 */
final class RegistrationException extends RuntimeException {

	static final String INVALID_CLIENT_METADATA = "invalid_client_metadata";

	static final String INVALID_REDIRECT_URI = "invalid_redirect_uri";

	static final String INVALID_TOKEN = "invalid_token";

	/** The rules' field names ({@code AuthClientRules}) as RFC 7591 names the metadata. */
	private static final Map<String, String> METADATA_NAMES = Map.of("name", "client_name", "types", "grant_types",
			"redirect", "redirect_uris", "public", "token_endpoint_auth_method", "post_logout_redirect_uris",
			"post_logout_redirect_uris");

	private final String error;

	private final int status;

	private final boolean tokenPresented;

	private RegistrationException(String error, String description, int status, boolean tokenPresented) {
		super(description);
		this.error = error;
		this.status = status;
		this.tokenPresented = tokenPresented;
	}

	static RegistrationException metadata(String description) {
		return new RegistrationException(INVALID_CLIENT_METADATA, description, 400, true);
	}

	/** No bearer token sent (RFC 6750 3.1: the challenge then names no error). */
	static RegistrationException tokenMissing(String description) {
		return new RegistrationException(INVALID_TOKEN, description, 401, false);
	}

	static RegistrationException tokenInvalid(String description) {
		return new RegistrationException(INVALID_TOKEN, description, 401, true);
	}

	/**
	 * The console's rules refused the client: {@code invalid_redirect_uri} when a redirect URI is at fault, else
	 * {@code invalid_client_metadata}; the description names each field by its metadata name.
	 */
	static RegistrationException of(ValidationException refused) {
		List<String> problems = new ArrayList<>();
		refused.errors().forEach((field, messages) -> messages
			.forEach(message -> problems.add(METADATA_NAMES.getOrDefault(field, field) + ": " + message)));
		String error = refused.errors().containsKey("redirect") ? INVALID_REDIRECT_URI : INVALID_CLIENT_METADATA;
		return new RegistrationException(error, String.join(" ", problems), 400, true);
	}

	String error() {
		return error;
	}

	int status() {
		return status;
	}

	boolean tokenPresented() {
		return tokenPresented;
	}

}
