package io.gatehouse.clients;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The console's create/edit form, bound from request parameters. Redirect URLs come one per line; the grants'
 * checkboxes are read by {@link #readGrants}, one per {@link GrantType}.
 */
class AuthClientForm {

	private @Nullable String name = "";

	private Set<GrantType> grants = EnumSet.noneOf(GrantType.class);

	private boolean publicClient;

	private boolean introspectOthers;

	private boolean requirePar;

	private boolean revokeTokensOnLogout;

	private boolean requireDpop;

	private @Nullable String redirect = "";

	private @Nullable String postLogoutRedirect = "";

	private @Nullable Integer version;

	/** The authentication method's RFC 7591 name; empty: as the public checkbox implies. */
	private @Nullable String tokenEndpointAuthMethod = "";

	private @Nullable String jwks = "";

	private @Nullable String jwksUri = "";
	private @Nullable String accessTokenLifetime = "";

	private @Nullable String refreshTokenLifetime = "";

	private @Nullable String scopes = "";

	private boolean skipConsent;

	private @Nullable String rateLimitPerSecond = "";

	private @Nullable String rateLimitBurst = "";

	/** RFC 8693 audiences, one client id a line. */
	private @Nullable String exchangeAudiences = "";

	static AuthClientForm of(AuthClient client) {
		AuthClientForm form = new AuthClientForm();
		form.name = client.name();
		form.grants = EnumSet.noneOf(GrantType.class);
		form.grants.addAll(client.grants());
		form.publicClient = client.publicClient();
		form.introspectOthers = client.introspectOthers();
		form.requirePar = client.requirePar();
		form.revokeTokensOnLogout = client.revokeTokensOnLogout();
		form.requireDpop = client.requireDpop();
		form.redirect = String.join("\n", client.redirectUris());
		form.postLogoutRedirect = String.join("\n", client.postLogoutRedirectUris());
		form.version = client.version();
		form.tokenEndpointAuthMethod = client.authentication().method().apiName();
		form.jwks = client.authentication().jwks() == null ? "" : client.authentication().jwks();
		form.jwksUri = client.authentication().jwksUri() == null ? "" : client.authentication().jwksUri();
		ClientPolicy policy = client.policy();
		form.accessTokenLifetime = text(ClientPolicy.seconds(policy.accessTokenLifetime()));
		form.refreshTokenLifetime = text(ClientPolicy.seconds(policy.refreshTokenLifetime()));
		form.scopes = policy.scopeText() == null ? "" : policy.scopeText();
		form.skipConsent = policy.skipConsent();
		form.exchangeAudiences = String.join("\n", policy.exchangeAudiences());
		if (policy.rateLimit() != null) {
			form.rateLimitPerSecond = String.valueOf(policy.rateLimit().perSecond());
			form.rateLimitBurst = String.valueOf(policy.rateLimit().burst());
		}
		return form;
	}

	AuthClientDraft toDraft() {
		List<String> uris = redirect == null ? List.of() : Arrays.asList(redirect.split("\\R"));
		List<String> logoutUris = postLogoutRedirect == null || postLogoutRedirect.isBlank() ? List.of()
				: Arrays.asList(postLogoutRedirect.split("\\R"));
		boolean isPublic = publicClient || "none".equals(tokenEndpointAuthMethod);
		return new AuthClientDraft(name, grants, uris, isPublic, introspectOthers, requirePar, logoutUris,
				revokeTokensOnLogout, requireDpop, new AuthClientDraft.Authentication(
						isPublic && !"none".equals(tokenEndpointAuthMethod) ? null : tokenEndpointAuthMethod, jwks,
						jwksUri),
				new ClientPolicy(lifetime(accessTokenLifetime), lifetime(refreshTokenLifetime),
						ClientPolicy.parseScopes(scopes), skipConsent, rateLimit(),
						// the field is hidden while the grant is unticked: what it still holds then is dropped
						!grants.contains(GrantType.TOKEN_EXCHANGE) || exchangeAudiences == null ? List.of()
								: Arrays.asList(exchangeAudiences.split("\\R"))));
	}

	/** Both blank: no limit; a blank burst is the rate; anything but whole numbers fails the check. */
	private ClientPolicy.@Nullable RateLimit rateLimit() {
		boolean noRate = rateLimitPerSecond == null || rateLimitPerSecond.isBlank();
		boolean noBurst = rateLimitBurst == null || rateLimitBurst.isBlank();
		if (noRate && noBurst) {
			return null;
		}
		int rate = whole(noRate ? null : rateLimitPerSecond);
		return new ClientPolicy.RateLimit(rate, noBurst ? rate : whole(rateLimitBurst));
	}

	private static int whole(@Nullable String text) {
		try {
			return text == null ? -1 : Integer.parseInt(text.trim());
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private static String text(@Nullable Long seconds) {
		return seconds == null ? "" : seconds.toString();
	}

	/** Blank is the server's default; anything but a whole number of seconds fails the bounds check. */
	private static @Nullable Duration lifetime(@Nullable String seconds) {
		if (seconds == null || seconds.isBlank()) {
			return null;
		}
		try {
			return Duration.ofSeconds(Long.parseLong(seconds.trim()));
		}
		catch (NumberFormatException ex) {
			return Duration.ofSeconds(-1);
		}
	}

	public @Nullable String getName() {
		return name;
	}

	public void setName(@Nullable String name) {
		this.name = name;
	}

	/** Whether the form's checkbox for the grant is checked. */
	public boolean allows(GrantType grant) {
		return grants.contains(grant);
	}

	/**
	 * Takes the grants from the request: a checkbox per grant, named {@link GrantType#formField()}, checked when it
	 * is sent as {@code true} (or {@code on}, {@code yes}, {@code 1}, as Spring reads a boolean).
	 */
	void readGrants(Map<String, String[]> parameters) {
		grants = EnumSet.noneOf(GrantType.class);
		for (GrantType grant : GrantType.values()) {
			String[] values = parameters.get(grant.formField());
			if (values != null && Arrays.stream(values).anyMatch(AuthClientForm::checked)) {
				grants.add(grant);
			}
		}
	}

	private static boolean checked(String value) {
		return Set.of("true", "on", "yes", "1").contains(value.trim().toLowerCase(Locale.ROOT));
	}

	public boolean isPublicClient() {
		return publicClient;
	}

	public void setPublicClient(boolean publicClient) {
		this.publicClient = publicClient;
	}

	public boolean isIntrospectOthers() {
		return introspectOthers;
	}

	public void setIntrospectOthers(boolean introspectOthers) {
		this.introspectOthers = introspectOthers;
	}

	public boolean isRequirePar() {
		return requirePar;
	}

	public void setRequirePar(boolean requirePar) {
		this.requirePar = requirePar;
	}

	public boolean isRequireDpop() {
		return requireDpop;
	}

	public void setRequireDpop(boolean requireDpop) {
		this.requireDpop = requireDpop;
	}

	public boolean isRevokeTokensOnLogout() {
		return revokeTokensOnLogout;
	}

	public void setRevokeTokensOnLogout(boolean revokeTokensOnLogout) {
		this.revokeTokensOnLogout = revokeTokensOnLogout;
	}

	public @Nullable String getRedirect() {
		return redirect;
	}

	public void setRedirect(@Nullable String redirect) {
		this.redirect = redirect;
	}

	public @Nullable String getPostLogoutRedirect() {
		return postLogoutRedirect;
	}

	public void setPostLogoutRedirect(@Nullable String postLogoutRedirect) {
		this.postLogoutRedirect = postLogoutRedirect;
	}

	public @Nullable String getTokenEndpointAuthMethod() {
		return tokenEndpointAuthMethod;
	}

	public void setTokenEndpointAuthMethod(@Nullable String tokenEndpointAuthMethod) {
		this.tokenEndpointAuthMethod = tokenEndpointAuthMethod;
	}

	public @Nullable String getJwks() {
		return jwks;
	}

	public void setJwks(@Nullable String jwks) {
		this.jwks = jwks;
	}

	public @Nullable String getJwksUri() {
		return jwksUri;
	}

	public void setJwksUri(@Nullable String jwksUri) {
		this.jwksUri = jwksUri;
	}

	public @Nullable String getAccessTokenLifetime() {
		return accessTokenLifetime;
	}

	public void setAccessTokenLifetime(@Nullable String accessTokenLifetime) {
		this.accessTokenLifetime = accessTokenLifetime;
	}

	public @Nullable String getRefreshTokenLifetime() {
		return refreshTokenLifetime;
	}

	public void setRefreshTokenLifetime(@Nullable String refreshTokenLifetime) {
		this.refreshTokenLifetime = refreshTokenLifetime;
	}

	public @Nullable String getScopes() {
		return scopes;
	}

	public void setScopes(@Nullable String scopes) {
		this.scopes = scopes;
	}

	public @Nullable String getRateLimitPerSecond() {
		return rateLimitPerSecond;
	}

	public void setRateLimitPerSecond(@Nullable String rateLimitPerSecond) {
		this.rateLimitPerSecond = rateLimitPerSecond;
	}

	public @Nullable String getRateLimitBurst() {
		return rateLimitBurst;
	}

	public void setRateLimitBurst(@Nullable String rateLimitBurst) {
		this.rateLimitBurst = rateLimitBurst;
	}

	public @Nullable String getExchangeAudiences() {
		return exchangeAudiences;
	}

	public void setExchangeAudiences(@Nullable String exchangeAudiences) {
		this.exchangeAudiences = exchangeAudiences;
	}

	public boolean isSkipConsent() {
		return skipConsent;
	}

	public void setSkipConsent(boolean skipConsent) {
		this.skipConsent = skipConsent;
	}

	public @Nullable Integer getVersion() {
		return version;
	}

	public void setVersion(@Nullable Integer version) {
		this.version = version;
	}

}
