package io.gatehouse.usage;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * The grant types usage is counted by: a closed list, so a made-up {@code grant_type} cannot grow the table or the
 * charts' legend; anything else counts as {@link #OTHER}.
 */
public enum UsageGrantType {

	AUTHORIZATION_CODE("authorization_code", "Authorization code", "authorization_code"),

	CLIENT_CREDENTIALS("client_credentials", "Client credentials", "client_credentials"),

	REFRESH_TOKEN("refresh_token", "Refresh token", "refresh_token"),

	PASSWORD("password", "Password", "password"),

	DEVICE_CODE("device_code", "Device code", "urn:ietf:params:oauth:grant-type:device_code"),

	TOKEN_EXCHANGE("token_exchange", "Token exchange", "urn:ietf:params:oauth:grant-type:token-exchange"),

	PERSONAL_ACCESS_TOKEN("personal_access_token", "Personal access token", null),

	OTHER("other", "Other", null);

	private static final Map<String, UsageGrantType> BY_GRANT_TYPE = Arrays.stream(values())
		.filter(type -> type.grantType != null)
		.collect(Collectors.toUnmodifiableMap(type -> type.grantType, Function.identity()));

	private static final Map<String, UsageGrantType> BY_KEY = Arrays.stream(values())
		.collect(Collectors.toUnmodifiableMap(UsageGrantType::key, Function.identity()));

	private final String key;

	private final String label;

	private final @Nullable String grantType;

	UsageGrantType(String key, String label, @Nullable String grantType) {
		this.key = key;
		this.label = label;
		this.grantType = grantType;
	}

	/** The value stored in {@code token_usage.grant_type} and used in the charts' CSS classes. */
	public String key() {
		return key;
	}

	/** The legend's name. */
	public String label() {
		return label;
	}

	/** The type of a token endpoint {@code grant_type} value; {@link #OTHER} for null or one not in the list. */
	public static UsageGrantType ofGrantType(@Nullable String grantType) {
		return grantType == null ? OTHER : BY_GRANT_TYPE.getOrDefault(grantType, OTHER);
	}

	static UsageGrantType ofKey(String key) {
		return BY_KEY.getOrDefault(key, OTHER);
	}

}
