package io.gatehouse.clients;

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

	private @Nullable String redirect = "";

	private @Nullable Integer version;

	static AuthClientForm of(AuthClient client) {
		AuthClientForm form = new AuthClientForm();
		form.name = client.name();
		form.grants = EnumSet.noneOf(GrantType.class);
		form.grants.addAll(client.grants());
		form.publicClient = client.publicClient();
		form.introspectOthers = client.introspectOthers();
		form.redirect = String.join("\n", client.redirectUris());
		form.version = client.version();
		return form;
	}

	AuthClientDraft toDraft() {
		List<String> uris = redirect == null ? List.of() : Arrays.asList(redirect.split("\\R"));
		return new AuthClientDraft(name, grants, uris, publicClient, introspectOthers);
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
