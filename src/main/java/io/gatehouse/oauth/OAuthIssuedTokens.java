package io.gatehouse.oauth;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedTokens;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Counts and revokes what a client issued through the OAuth endpoints, by grant: the edit form's "Saving will revoke"
 * notice and the revocation that follows disabling a grant, removing a redirect URL or deleting the client. Reads go
 * through the {@code (client_id, grant_type)} and {@code (authorization_id, token_type)} indexes.
 */
@Component
@Transactional
class OAuthIssuedTokens implements IssuedTokens {

	private static final Map<String, GrantType> GRANTS = Map.of("authorization_code", GrantType.AUTHORIZATION_CODE,
			"password", GrantType.PASSWORD, "client_credentials", GrantType.CLIENT_CREDENTIALS);

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	OAuthIssuedTokens(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	@Override
	@Transactional(readOnly = true)
	public Map<GrantType, Long> countLive(String clientId) {
		Map<GrantType, Long> counts = new EnumMap<>(GrantType.class);
		jdbc.sql("""
				select a.grant_type, count(*) as live from oauth_authorization a
				join oauth_token t on t.authorization_id = a.id
				where a.client_id = :client and t.token_type <> 'state' and t.invalidated_at is null
				  and (t.expires_at is null or t.expires_at > :now)
				group by a.grant_type
				""")
			.param("client", clientId)
			.param("now", OffsetDateTime.now(ZoneOffset.UTC))
			.query((rs, i) -> Map.entry(rs.getString("grant_type"), rs.getLong("live")))
			.list()
			.forEach(row -> {
				GrantType grant = GRANTS.get(row.getKey());
				if (grant != null) {
					counts.merge(grant, row.getValue(), Long::sum);
				}
			});
		return counts;
	}

	@Override
	public long revoke(String clientId, Set<GrantType> grants) {
		List<String> grantTypes = GRANTS.entrySet().stream().filter(entry -> grants.contains(entry.getValue()))
			.map(Map.Entry::getKey).toList();
		if (grantTypes.isEmpty()) {
			return 0;
		}
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		int ended = jdbc.sql("""
				update oauth_token set invalidated_at = :now
				where invalidated_at is null and token_type <> 'state' and (expires_at is null or expires_at > :now)
				  and authorization_id in (select id from oauth_authorization
				                           where client_id = :client and grant_type in (:grants))
				""").param("now", now).param("client", clientId).param("grants", grantTypes).update();
		jdbc.sql("""
				update oauth_authorization set revoked_at = :now
				where client_id = :client and grant_type in (:grants) and revoked_at is null
				""").param("now", now).param("client", clientId).param("grants", grantTypes).update();
		return ended;
	}

	@Override
	public long revokePendingCodes(String clientId, Set<String> redirectUris) {
		if (redirectUris.isEmpty()) {
			return 0;
		}
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		// pending codes live for seconds, so there are few; the redirect URI sits in the stored request
		List<Map.Entry<String, String>> pending = jdbc.sql("""
				select t.token_hash, a.attributes from oauth_token t
				join oauth_authorization a on a.id = t.authorization_id
				where a.client_id = :client and a.grant_type = 'authorization_code' and t.token_type = 'code'
				  and t.invalidated_at is null and t.expires_at > :now
				""")
			.param("client", clientId)
			.param("now", now)
			.query((rs, i) -> Map.entry(rs.getString("token_hash"), rs.getString("attributes")))
			.list();
		long ended = 0;
		for (Map.Entry<String, String> code : pending) {
			Object request = json.readValue(code.getValue(), MAP).get(OAuth2AuthorizationRequest.class.getName());
			if (request instanceof Map<?, ?> fields && redirectUris.contains(String.valueOf(fields.get("redirectUri")))) {
				ended += jdbc.sql("update oauth_token set invalidated_at = :now where token_hash = :hash")
					.param("now", now)
					.param("hash", code.getKey())
					.update();
			}
		}
		return ended;
	}

}
