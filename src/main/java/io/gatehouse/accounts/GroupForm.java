package io.gatehouse.accounts;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** The console's group form, for create and edit. */
class GroupForm {

	private @Nullable String name;

	private @Nullable String description;

	private List<String> permissions = new ArrayList<>();

	private @Nullable Integer version;

	static GroupForm of(Group group, Collection<String> permissions) {
		GroupForm form = new GroupForm();
		form.name = group.name();
		form.description = group.description();
		form.permissions = new ArrayList<>(permissions);
		form.version = group.version();
		return form;
	}

	GroupInput toInput() {
		return new GroupInput(name == null ? "" : name, description == null ? "" : description,
				new LinkedHashSet<>(permissions));
	}

	public @Nullable String getName() {
		return name;
	}

	public void setName(@Nullable String name) {
		this.name = name;
	}

	public @Nullable String getDescription() {
		return description;
	}

	public void setDescription(@Nullable String description) {
		this.description = description;
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
