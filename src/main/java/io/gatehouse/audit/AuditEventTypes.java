package io.gatehouse.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every type of audit event, {@code subject_type.action}, with what it means: the audit log's type filter. A module
 * that records a new kind of event adds it here.
 */
public final class AuditEventTypes {

	public static final String AUTH_CLIENT = "auth_client";

	public static final String SIGN_IN = "sign_in";

	public static final String SIGNING_KEY = "signing_key";

	public static final String WEBHOOK = "webhook";

	/** What each event type means, in the order the console lists them. */
	public static final Map<String, String> ALL = all();

	private AuditEventTypes() {
	}

	private static Map<String, String> all() {
		Map<String, String> types = new LinkedHashMap<>();
		types.put("auth_client.created", "An auth client was created");
		types.put("auth_client.updated", "An auth client was changed (and what that revoked)");
		types.put("auth_client.secret_regenerated", "An auth client's secret was regenerated");
		types.put("auth_client.deleted", "An auth client was deleted, with everything it issued");
		types.put("initial_access_token.created", "An initial access token for client registration was created");
		types.put("initial_access_token.revoked", "An initial access token for client registration was revoked");
		types.put("user.created", "A user was created");
		types.put("user.updated", "A user was changed: fields, password, permissions, active or super admin flag");
		types.put("user.password_changed", "A user changed their own password");
		types.put("user.deleted", "A user was deleted");
		types.put("group.created", "A group was created");
		types.put("group.updated", "A group was changed: name, description or permissions");
		types.put("group.members_changed", "A group's members changed");
		types.put("group.deleted", "A group was deleted");
		types.put("personal_access_token.created", "A personal access token was created");
		types.put("personal_access_token.revoked", "A personal access token was revoked");
		types.put("consent.granted", "A user consented to a client's authorization request");
		types.put("consent.withdrawn", "A user's consent to a client was withdrawn, and its tokens revoked");
		types.put("oauth_token.revoked", "A client revoked one of its tokens (RFC 7009)");
		types.put("oauth_grant.revoked", "A grant was revoked because a refresh token or code was used twice");
		types.put("oauth_request.pushed", "A client pushed an authorization request (RFC 9126)");
		types.put("oauth_session.logged_out",
				"A user logged out through a client (OpenID Connect), and how many tokens that revoked");
		types.put("sign_in.succeeded", "A user signed in with their password (console or password grant)");
		types.put("sign_in.failed", "A sign-in failed: wrong password, unknown username or inactive account");
		types.put("sign_in.throttled", "A sign-in was refused unchecked, after repeated failures");
		types.put("sign_in.failures_suppressed", "Sign-in failures beyond the audit log's rate, counted");
		types.put("signing_key.created", "A token signing key was created (a rotation, or the first key)");
		types.put("webhook.created", "A webhook endpoint was registered");
		types.put("webhook.updated", "A webhook endpoint was changed: URL, description, event types or active flag");
		types.put("webhook.secret_regenerated", "A webhook endpoint's signing secret was regenerated");
		types.put("webhook.deleted", "A webhook endpoint was deleted, with its delivery log");
		return java.util.Collections.unmodifiableMap(types);
	}

	public static boolean isKnown(String type) {
		return ALL.containsKey(type);
	}

	public static Set<String> names() {
		return ALL.keySet();
	}

}
