package io.gatehouse.clients;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/** The console's create/edit form, bound from request parameters. Redirect URLs come one per line. */
class AuthClientForm {

	private @Nullable String name = "";

	private boolean authorizationCode;

	private boolean passwordGrant;

	private boolean personalAccess;

	private boolean clientCredentials;

	private boolean publicClient;

	private boolean introspectOthers;

	private @Nullable String redirect = "";

	private @Nullable Integer version;

	static AuthClientForm of(AuthClient client) {
		AuthClientForm form = new AuthClientForm();
		form.name = client.name();
		form.authorizationCode = client.allows(GrantType.AUTHORIZATION_CODE);
		form.passwordGrant = client.allows(GrantType.PASSWORD);
		form.personalAccess = client.allows(GrantType.PERSONAL_ACCESS);
		form.clientCredentials = client.allows(GrantType.CLIENT_CREDENTIALS);
		form.publicClient = client.publicClient();
		form.introspectOthers = client.introspectOthers();
		form.redirect = String.join("\n", client.redirectUris());
		form.version = client.version();
		return form;
	}

	AuthClientDraft toDraft() {
		Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
		if (authorizationCode) {
			grants.add(GrantType.AUTHORIZATION_CODE);
		}
		if (passwordGrant) {
			grants.add(GrantType.PASSWORD);
		}
		if (personalAccess) {
			grants.add(GrantType.PERSONAL_ACCESS);
		}
		if (clientCredentials) {
			grants.add(GrantType.CLIENT_CREDENTIALS);
		}
		List<String> uris = redirect == null ? List.of() : Arrays.asList(redirect.split("\\R"));
		return new AuthClientDraft(name, grants, uris, publicClient, introspectOthers);
	}

	public @Nullable String getName() {
		return name;
	}

	public void setName(@Nullable String name) {
		this.name = name;
	}

	public boolean isAuthorizationCode() {
		return authorizationCode;
	}

	public void setAuthorizationCode(boolean authorizationCode) {
		this.authorizationCode = authorizationCode;
	}

	public boolean isPasswordGrant() {
		return passwordGrant;
	}

	public void setPasswordGrant(boolean passwordGrant) {
		this.passwordGrant = passwordGrant;
	}

	public boolean isPersonalAccess() {
		return personalAccess;
	}

	public void setPersonalAccess(boolean personalAccess) {
		this.personalAccess = personalAccess;
	}

	public boolean isClientCredentials() {
		return clientCredentials;
	}

	public void setClientCredentials(boolean clientCredentials) {
		this.clientCredentials = clientCredentials;
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

	public @Nullable String getRedirect() {
		return redirect;
	}

	public void setRedirect(@Nullable String redirect) {
		this.redirect = redirect;
	}

	public @Nullable Integer getVersion() {
		return version;
	}

	public void setVersion(@Nullable Integer version) {
		this.version = version;
	}

}
