package io.gatehouse.oauth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.gatehouse.oauth.JdbcAuthorizationRepository.StoredToken;
import io.gatehouse.signin.SignedInUser;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.stereotype.Component;

/**
 * The JSON of the token store's {@code attributes} and {@code metadata} columns: what a grant keeps besides its
 * tokens (the user who granted it, the authorization request) and what a token keeps besides its value (its claims).
 * Only plain values are written, each principal and request as a small tagged map, never a serialised Java object,
 * and never a secret: token values are stored only as their hash ({@link TokenHashes}).
 */
@Component
final class AuthorizationJson {

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private static final Set<String> TIME_CLAIMS = Set.of("iat", "exp", "nbf", "auth_time", "updated_at");

	private final JsonMapper json;

	AuthorizationJson(JsonMapper json) {
		this.json = json;
	}

	/** A grant's attributes as the {@code attributes} column holds them, and the account of its user, if any. */
	record WrittenAttributes(String json, @Nullable Long accountId) {
	}

	/** Writes the attributes: principals and authorization requests as tagged maps, plain values as they are. */
	WrittenAttributes writeAttributes(Map<String, Object> attributes) {
		Map<String, Object> written = new LinkedHashMap<>();
		Long accountId = null;
		for (Map.Entry<String, Object> attribute : attributes.entrySet()) {
			Object value = attribute.getValue();
			if (value instanceof Authentication principal) {
				Map<String, Object> user = writePrincipal(principal);
				written.put(attribute.getKey(), user);
				accountId = user.get("id") instanceof Number id ? id.longValue() : null;
			}
			else if (value instanceof OAuth2AuthorizationRequest request) {
				written.put(attribute.getKey(), writeRequest(request));
			}
			else if (value instanceof String || value instanceof Number || value instanceof Boolean
					|| value instanceof Collection<?>) {
				written.put(attribute.getKey(), value);
			}
		}
		return new WrittenAttributes(json.writeValueAsString(written), accountId);
	}

	/** Adds the attributes written by {@link #writeAttributes} to the grant being loaded. */
	@SuppressWarnings("unchecked")
	void readAttributes(String attributesJson, OAuth2Authorization.Builder builder) {
		json.readValue(attributesJson, MAP).forEach((key, value) -> {
			if (value instanceof Map<?, ?> map && "user".equals(map.get("kind"))) {
				SignedInUser user = new SignedInUser(((Number) map.get("id")).longValue(), (String) map.get("username"),
						(String) map.get("displayName"), Boolean.TRUE.equals(map.get("superAdmin")));
				builder.attribute(key, UsernamePasswordAuthenticationToken.authenticated(user, null, factor(map)));
			}
			else if (value instanceof Map<?, ?> map && "other".equals(map.get("kind"))) {
				builder.attribute(key,
						UsernamePasswordAuthenticationToken.authenticated((String) map.get("name"), null, factor(map)));
			}
			else if (value instanceof Map<?, ?> map && "authorization_request".equals(map.get("kind"))) {
				builder.attribute(key, OAuth2AuthorizationRequest.authorizationCode()
					.authorizationUri((String) map.get("authorizationUri"))
					.clientId((String) map.get("clientId"))
					.redirectUri((String) map.get("redirectUri"))
					.scopes(Set.copyOf((List<String>) map.get("scopes")))
					.state((String) map.get("state"))
					.additionalParameters((Map<String, Object>) map.get("additionalParameters"))
					.attributes((Map<String, Object>) map.get("attributes"))
					.authorizationRequestUri((String) map.get("authorizationRequestUri"))
					.build());
			}
			else if (value instanceof List<?> list && OAuth2ParameterNames.SCOPE.equals(key)) {
				// a device grant's requested scopes, a set to Spring's device providers
				builder.attribute(key, new java.util.HashSet<>(list));
			}
			else if (value != null) {
				builder.attribute(key, value);
			}
		});
	}

	/** The token's metadata as the {@code metadata} column holds it: its claims and plain values. */
	String writeMetadata(OAuth2Authorization.Token<?> token) {
		Map<String, Object> metadata = new LinkedHashMap<>();
		token.getMetadata().forEach((key, value) -> {
			if (key.equals(OAuth2Authorization.Token.CLAIMS_METADATA_NAME) && value instanceof Map<?, ?> claims) {
				metadata.put(key, writeClaims(claims));
			}
			else if (!key.equals(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME)
					&& (value instanceof String || value instanceof Number || value instanceof Boolean)) {
				metadata.put(key, value);
			}
		});
		return json.writeValueAsString(metadata);
	}

	/** Adds a stored token, of its {@code token_type}, to the grant being loaded, carrying {@code value}. */
	void addToken(OAuth2Authorization.Builder builder, String type, StoredToken stored, String value) {
		Map<String, Object> metadata = json.readValue(stored.metadata(), MAP);
		Map<String, Object> claims = readClaims(metadata.get(OAuth2Authorization.Token.CLAIMS_METADATA_NAME));
		if (claims != null) {
			metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, claims);
		}
		metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME, stored.invalidated());
		OAuth2Token token = switch (type) {
			case JdbcTokenStore.CODE -> new OAuth2AuthorizationCode(value, stored.issuedAt(), stored.expiresAt());
			case JdbcTokenStore.REFRESH -> new OAuth2RefreshToken(value, stored.issuedAt(), stored.expiresAt());
			case JdbcTokenStore.DEVICE_CODE -> new OAuth2DeviceCode(value, stored.issuedAt(), stored.expiresAt());
			case JdbcTokenStore.USER_CODE -> new OAuth2UserCode(value, stored.issuedAt(), stored.expiresAt());
			case JdbcTokenStore.ID_TOKEN -> new OidcIdToken(value, stored.issuedAt(), stored.expiresAt(),
					claims == null ? Map.of("sub", "unknown") : claims);
			default -> new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, value, stored.issuedAt(),
					stored.expiresAt(), scopesOf(claims));
		};
		builder.token(token, map -> map.putAll(metadata));
	}

	private static Set<String> scopesOf(@Nullable Map<String, Object> claims) {
		if (claims == null) {
			return Set.of();
		}
		Object scope = claims.get("scope");
		if (scope instanceof String text && !text.isBlank()) {
			return Set.of(text.split(" "));
		}
		if (scope instanceof Collection<?> list) {
			return Set.copyOf(list.stream().map(String::valueOf).toList());
		}
		return Set.of();
	}

	private static Map<String, Object> writePrincipal(Authentication principal) {
		Map<String, Object> written = new LinkedHashMap<>();
		// auth_time (OIDC Core 2): when the user last proved who they are; the authorization time if not recorded
		Instant authenticatedAt = principal.getAuthorities().stream()
			.filter(FactorGrantedAuthority.class::isInstance)
			.map(authority -> ((FactorGrantedAuthority) authority).getIssuedAt())
			.max(Instant::compareTo)
			.orElse(Instant.now());
		written.put("authenticatedAt", authenticatedAt.getEpochSecond());
		if (principal.getPrincipal() instanceof SignedInUser user) {
			written.put("kind", "user");
			written.put("id", user.id());
			written.put("username", user.username());
			written.put("displayName", user.displayName());
			written.put("superAdmin", user.superAdmin());
		}
		else {
			written.put("kind", "other");
			written.put("name", principal.getName());
		}
		return written;
	}

	private static Map<String, Object> writeRequest(OAuth2AuthorizationRequest request) {
		Map<String, Object> written = new LinkedHashMap<>();
		written.put("kind", "authorization_request");
		written.put("authorizationUri", request.getAuthorizationUri());
		written.put("clientId", request.getClientId());
		written.put("redirectUri", request.getRedirectUri());
		written.put("scopes", List.copyOf(request.getScopes()));
		written.put("state", request.getState());
		written.put("additionalParameters", plainValues(request.getAdditionalParameters()));
		written.put("attributes", plainValues(request.getAttributes()));
		written.put("authorizationRequestUri", request.getAuthorizationRequestUri());
		return written;
	}

	private static Map<String, Object> plainValues(Map<String, Object> values) {
		Map<String, Object> kept = new LinkedHashMap<>();
		values.forEach((key, value) -> {
			if (value instanceof String || value instanceof Number || value instanceof Boolean) {
				kept.put(key, value);
			}
		});
		return kept;
	}

	private static List<FactorGrantedAuthority> factor(Map<?, ?> principal) {
		Instant at = principal.get("authenticatedAt") instanceof Number seconds
				? Instant.ofEpochSecond(seconds.longValue()) : Instant.now();
		return List.of(
				FactorGrantedAuthority.withAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY).issuedAt(at).build());
	}

	private static Map<String, Object> writeClaims(Map<?, ?> claims) {
		Map<String, Object> written = new LinkedHashMap<>();
		claims.forEach((key, value) -> {
			if (value instanceof Instant instant) {
				written.put(String.valueOf(key), instant.getEpochSecond());
			}
			else if (value instanceof Date date) {
				written.put(String.valueOf(key), date.toInstant().getEpochSecond());
			}
			else if (value instanceof Collection<?> list) {
				written.put(String.valueOf(key), new ArrayList<>(list.stream().map(String::valueOf).toList()));
			}
			else if (value instanceof java.net.URL url) {
				written.put(String.valueOf(key), url.toString());
			}
			else if (value != null) {
				written.put(String.valueOf(key), value instanceof Number || value instanceof Boolean ? value
						: String.valueOf(value));
			}
		});
		return written;
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Map<String, Object> readClaims(@Nullable Object stored) {
		if (!(stored instanceof Map<?, ?> map)) {
			return null;
		}
		Map<String, Object> claims = new LinkedHashMap<>((Map<String, Object>) map);
		TIME_CLAIMS.forEach(name -> {
			if (claims.get(name) instanceof Number seconds) {
				claims.put(name, Instant.ofEpochSecond(seconds.longValue()));
			}
		});
		// Spring's JwtGenerator copies auth_time into the ID token it issues on refresh, and reads it as a Date
		if (claims.get("auth_time") instanceof Instant authTime) {
			claims.put("auth_time", Date.from(authTime));
		}
		return claims;
	}

}
