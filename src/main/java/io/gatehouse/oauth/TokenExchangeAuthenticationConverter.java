package io.gatehouse.oauth;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.util.MultiValueMap;

/**
 * Reads a token exchange request (RFC 8693 2.1) from the form body; null for every other {@code grant_type}. Unlike
 * Spring's converter, which also takes {@code urn:ietf:params:oauth:token-type:jwt} and answers other types
 * {@code unsupported_token_type}, Gatehouse exchanges only its own access tokens and issues only access tokens: any
 * other subject, actor or requested token type is {@code invalid_request} (RFC 8693 2.2.2).
 */
final class TokenExchangeAuthenticationConverter implements AuthenticationConverter {

	/** RFC 8693 3: the one token type served, for subject, actor and issued tokens. */
	static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

	/** The request header carrying the DPoP proof, kept for the provider's binding (checked before, RFC 9449 5). */
	static final String DPOP_PROOF = "dpop_proof";

	private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc8693#section-2.2.2";

	private static final List<String> OWN_PARAMETERS = List.of(OAuth2ParameterNames.GRANT_TYPE,
			OAuth2ParameterNames.RESOURCE, OAuth2ParameterNames.AUDIENCE, OAuth2ParameterNames.REQUESTED_TOKEN_TYPE,
			OAuth2ParameterNames.SUBJECT_TOKEN, OAuth2ParameterNames.SUBJECT_TOKEN_TYPE,
			OAuth2ParameterNames.ACTOR_TOKEN, OAuth2ParameterNames.ACTOR_TOKEN_TYPE, OAuth2ParameterNames.SCOPE,
			OAuth2ParameterNames.CLIENT_ID, OAuth2ParameterNames.CLIENT_SECRET);

	@Override
	public @Nullable Authentication convert(HttpServletRequest request) {
		MultiValueMap<String, String> form = FormParameters.of(request);
		if (!AuthorizationGrantType.TOKEN_EXCHANGE.getValue().equals(form.getFirst(OAuth2ParameterNames.GRANT_TYPE))) {
			return null;
		}
		// subject_token, subject_token_type (REQUIRED)
		String subjectToken = required(form, OAuth2ParameterNames.SUBJECT_TOKEN);
		accessTokenType(OAuth2ParameterNames.SUBJECT_TOKEN_TYPE,
				required(form, OAuth2ParameterNames.SUBJECT_TOKEN_TYPE));
		// actor_token, actor_token_type (OPTIONAL, each REQUIRED with the other)
		String actorToken = optional(form, OAuth2ParameterNames.ACTOR_TOKEN);
		String actorTokenType = optional(form, OAuth2ParameterNames.ACTOR_TOKEN_TYPE);
		if ((actorToken == null) != (actorTokenType == null)) {
			throw invalidRequest(actorToken == null ? OAuth2ParameterNames.ACTOR_TOKEN
					: OAuth2ParameterNames.ACTOR_TOKEN_TYPE, "actor_token and actor_token_type come together.");
		}
		if (actorTokenType != null) {
			accessTokenType(OAuth2ParameterNames.ACTOR_TOKEN_TYPE, actorTokenType);
		}
		// requested_token_type (OPTIONAL): an access token is all this server issues
		String requested = optional(form, OAuth2ParameterNames.REQUESTED_TOKEN_TYPE);
		if (requested != null) {
			accessTokenType(OAuth2ParameterNames.REQUESTED_TOKEN_TYPE, requested);
		}
		// scope (OPTIONAL)
		String scope = optional(form, OAuth2ParameterNames.SCOPE);
		Set<String> scopes = scope == null ? Set.of() : new LinkedHashSet<>(List.of(scope.trim().split("\\s+")));
		// audience, resource (OPTIONAL, each may be repeated): checked against the client's audiences by the provider
		Set<String> audiences = new LinkedHashSet<>(form.getOrDefault(OAuth2ParameterNames.AUDIENCE, List.of()));
		Set<String> resources = new LinkedHashSet<>(form.getOrDefault(OAuth2ParameterNames.RESOURCE, List.of()));
		Map<String, Object> additional = new HashMap<>();
		form.forEach((name, values) -> {
			if (!OWN_PARAMETERS.contains(name)) {
				additional.put(name, values.size() == 1 ? values.get(0) : values.toArray(String[]::new));
			}
		});
		String proof = request.getHeader(DPoPTokenRequestConverter.DPOP);
		if (proof != null && !proof.isBlank()) {
			additional.put(DPOP_PROOF, proof);
		}
		Authentication client = SecurityContextHolder.getContext().getAuthentication();
		return new OAuth2TokenExchangeAuthenticationToken(ACCESS_TOKEN_TYPE, subjectToken, ACCESS_TOKEN_TYPE, client,
				actorToken, actorTokenType, resources, audiences, scopes, additional);
	}

	private static void accessTokenType(String parameter, String value) {
		if (!ACCESS_TOKEN_TYPE.equals(value)) {
			throw invalidRequest(parameter, "The " + parameter + " must be " + ACCESS_TOKEN_TYPE
					+ ": this server exchanges and issues its own access tokens only.");
		}
	}

	private static String required(MultiValueMap<String, String> form, String name) {
		String value = optional(form, name);
		if (value == null) {
			throw invalidRequest(name, "The " + name + " parameter is required.");
		}
		return value;
	}

	/** The parameter's one value; null when absent or empty; more than one is invalid_request. */
	private static @Nullable String optional(MultiValueMap<String, String> form, String name) {
		List<String> values = form.get(name);
		if (values != null && values.size() > 1) {
			throw invalidRequest(name, "The " + name + " parameter was sent more than once.");
		}
		return values == null || values.get(0).isBlank() ? null : values.get(0);
	}

	private static OAuth2AuthenticationException invalidRequest(String parameter, String description) {
		return new OAuth2AuthenticationException(
				new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST, description, ERROR_URI), "OAuth 2.0 Parameter: "
						+ parameter);
	}

}
