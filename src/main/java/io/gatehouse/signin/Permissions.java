package io.gatehouse.signin;

import java.util.List;

/**
 * The names of the seeded permissions (table {@code permission}). Spring Security sees each as an authority of the
 * same name, so {@code hasAuthority('view-auth_clients')} reads like the brief.
 */
public final class Permissions {

	public static final String VIEW_AUTH_CLIENTS = "view-auth_clients";

	public static final String CREATE_AUTH_CLIENTS = "create-auth_clients";

	public static final String EDIT_AUTH_CLIENTS = "edit-auth_clients";

	public static final String DELETE_AUTH_CLIENTS = "delete-auth_clients";

	public static final String VIEW_USERS = "view-users";

	public static final String CREATE_USERS = "create-users";

	public static final String EDIT_USERS = "edit-users";

	public static final String DELETE_USERS = "delete-users";

	public static final String VIEW_GROUPS = "view-groups";

	public static final String CREATE_GROUPS = "create-groups";

	public static final String EDIT_GROUPS = "edit-groups";

	public static final String DELETE_GROUPS = "delete-groups";

	/** The audit log: every security-relevant event (V30). */
	public static final String VIEW_AUDIT = "view-audit";

	/** Event webhooks: their endpoints, signing secrets and delivery logs (V35). */
	public static final String MANAGE_WEBHOOKS = "manage-webhooks";

	/** Authority added for super admins, on top of every permission. */
	public static final String SUPER_ADMIN_AUTHORITY = "ROLE_SUPER_ADMIN";

	public static final List<String> ALL = List.of(VIEW_AUTH_CLIENTS, CREATE_AUTH_CLIENTS, EDIT_AUTH_CLIENTS,
			DELETE_AUTH_CLIENTS, VIEW_USERS, CREATE_USERS, EDIT_USERS, DELETE_USERS, VIEW_GROUPS, CREATE_GROUPS,
			EDIT_GROUPS, DELETE_GROUPS, VIEW_AUDIT, MANAGE_WEBHOOKS);

	private Permissions() {
	}

}
