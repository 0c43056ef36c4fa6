package io.gatehouse.oauth;

import java.util.ArrayList;
import java.util.List;

import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.AuditableChange;
import io.gatehouse.audit.FieldChange;

import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Component;

/**
 * The OAuth side's audit records, in the transaction of what they describe: a client revoking one of its tokens
 * (RFC 7009), a grant revoked because one of its single-use tokens came back, a pushed authorization request
 * (RFC 9126) and an RP-initiated logout. Never a token value. A token
 * issued is no audit event: it would cost the token endpoint a write per request.
 */
@Component
class OAuthAudit {

	private final AuditTrail audit;

	private final JdbcAuthorizationRepository repository;

	OAuthAudit(AuditTrail audit, JdbcAuthorizationRepository repository) {
		this.audit = audit;
		this.repository = repository;
	}

	/** The client revoked a token of its own; the hint is what the client said the token was, if anything. */
	void tokenRevoked(RegisteredClient client, @Nullable String tokenTypeHint) {
		List<FieldChange> changes = new ArrayList<>();
		changes.add(new FieldChange("revoked", null, "a token issued to the client"));
		if (tokenTypeHint != null && !tokenTypeHint.isBlank()) {
			changes.add(new FieldChange("token_type_hint", null, abbreviate(tokenTypeHint)));
		}
		audit.record(new AuditableChange(null, "client:" + client.getClientId(), "revoked", "oauth_token",
				client.getClientId(), client.getClientName(), changes, client.getClientId()));
	}

	/**
	 * RFC 9700 4.14.2 (and RFC 6749 4.1.2 for codes): a rotated refresh token or a used code came back, so the whole
	 * grant was revoked. One extra read, of the grant's row, on this rare path only; nothing when the grant had
	 * nothing live left (it was revoked before).
	 */
	void grantRevokedOnReuse(String authorizationId, String tokenType, int revoked) {
		if (revoked == 0) {
			return;
		}
		repository.findAuthorization(authorizationId).ifPresent(grant -> audit.recordAbout(grant.clientId(),
				"revoked", "oauth_grant", authorizationId, grant.principalName(),
				List.of(new FieldChange("reason", null, switch (tokenType) {
					case JdbcTokenStore.CODE -> "authorization code";
					case JdbcTokenStore.DEVICE_CODE -> "device code";
					default -> "refresh token";
				} + " used twice"),
						new FieldChange("user", null, grant.principalName()),
						new FieldChange("revoked_tokens", null, Integer.toString(revoked)))));
	}

	/**
	 * RFC 9126 2: the client pushed an authorization request. Names the client only: the {@code request_uri} is a
	 * bearer value until it is used.
	 */
	void requestPushed(String clientId, @Nullable String clientName) {
		audit.record(new AuditableChange(null, "client:" + clientId, "pushed", "oauth_request", clientId,
				clientName == null ? clientId : clientName,
				List.of(new FieldChange("pushed", null, "an authorization request (request_uri not recorded)")),
				clientId));
	}

	/**
	 * RFC 8693: the client exchanged a user's access token for a new one. Names the client, the user, the audience,
	 * the scopes and, for delegation, the actor; never a token value.
	 */
	void tokenExchanged(String clientId, @Nullable String clientName, String username, List<String> audiences,
			String scopes, @Nullable String actor) {
		List<FieldChange> changes = new ArrayList<>();
		changes.add(new FieldChange("exchanged", null, actor == null ? "impersonation" : "delegation"));
		changes.add(new FieldChange("user", null, username));
		changes.add(new FieldChange("audience", null, String.join(", ", audiences)));
		changes.add(new FieldChange("scope", null, scopes));
		if (actor != null) {
			changes.add(new FieldChange("actor", null, abbreviate(actor)));
		}
		audit.record(new AuditableChange(null, "client:" + clientId, "exchanged", "oauth_token", clientId,
				clientName == null ? clientId : clientName, changes, clientId));
	}

	/**
	 * OpenID Connect RP-Initiated Logout 2: the user (the ID token's subject) logged out through the client, and
	 * how many of the user's tokens for it that revoked (0 unless the client asked for revocation on logout).
	 */
	void loggedOut(String clientId, String accountId, @Nullable String username, int revoked) {
		String user = username == null ? accountId : username;
		audit.recordAbout(clientId, "logged_out", "oauth_session", accountId, user,
				List.of(new FieldChange("user", null, user), new FieldChange("client", null, clientId),
						new FieldChange("revoked_tokens", null, Integer.toString(revoked))));
	}

	private static String abbreviate(String value) {
		return value.length() <= 40 ? value : value.substring(0, 40);
	}

}
