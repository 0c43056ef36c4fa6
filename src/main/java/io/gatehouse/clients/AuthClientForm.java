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

	private @Nullable String redirect = "";

	private @Nullable Integer version;

	static AuthClientForm of(AuthClient client) {
		AuthClientForm form = new AuthClientForm();
		form.name = client.name();
		form.authorizationCode = client.allows(GrantType.AUTHORIZATION_CODE);
		form.passwordGrant = client.allows(GrantType.PASSWORD);
		form.personalAccess = client.allows(GrantType.PERSONAL_ACCESS);
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
		List<String> uris = redirect == null ? List.of() : Arrays.asList(redirect.split("\\R"));
		return new AuthClientDraft(name, grants, uris);
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
