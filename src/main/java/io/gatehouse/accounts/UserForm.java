package io.gatehouse.accounts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** The console's user form, for create and edit. Mutable because Spring binds checkboxes field by field. */
class UserForm {

	private @Nullable String username;

	private @Nullable String firstname;

	private @Nullable String lastname;

	private @Nullable String email;

	private @Nullable String password;

	private boolean active = true;

	private boolean superAdmin;

	private List<String> permissions = new ArrayList<>();

	private @Nullable Integer version;

	static UserForm of(User user, java.util.Collection<String> permissions) {
		UserForm form = new UserForm();
		form.username = user.username();
		form.firstname = user.firstname();
		form.lastname = user.lastname();
		form.email = user.email();
		form.active = user.active();
		form.superAdmin = user.superAdmin();
		form.permissions = new ArrayList<>(permissions);
		form.version = user.version();
		return form;
	}

	/**
	 * The super admin flag is left alone (null) unless the actor may change it; so is the username when the form has
	 * no such field (a service account's).
	 */
	UserInput toInput(boolean mayChangeSuperAdmin) {
		return new UserInput(username, firstname == null ? "" : firstname,
				lastname == null ? "" : lastname, email == null ? "" : email, active,
				mayChangeSuperAdmin ? superAdmin : null, password, new LinkedHashSet<>(permissions));
	}

	public @Nullable String getUsername() {
		return username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getFirstname() {
		return firstname;
	}

	public void setFirstname(@Nullable String firstname) {
		this.firstname = firstname;
	}

	public @Nullable String getLastname() {
		return lastname;
	}

	public void setLastname(@Nullable String lastname) {
		this.lastname = lastname;
	}

	public @Nullable String getEmail() {
		return email;
	}

	public void setEmail(@Nullable String email) {
		this.email = email;
	}

	public @Nullable String getPassword() {
		return password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public boolean isActive() {
		return active;
	}

	public void setActive(boolean active) {
		this.active = active;
	}

	public boolean isSuperAdmin() {
		return superAdmin;
	}

	public void setSuperAdmin(boolean superAdmin) {
		this.superAdmin = superAdmin;
	}

	public List<String> getPermissions() {
		return permissions;
	}

	public void setPermissions(@Nullable List<String> permissions) {
		this.permissions = permissions == null ? new ArrayList<>() : permissions;
	}

	public @Nullable Integer getVersion() {
		return version;
	}

	public void setVersion(@Nullable Integer version) {
		this.version = version;
	}

}
