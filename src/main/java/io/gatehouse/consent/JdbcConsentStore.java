package io.gatehouse.consent;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Remembers which scopes a user consented to per client (table {@code oauth_consent}), until the user withdraws it.
 * The authorization server names the user by username; rows are keyed by account id, so a rename keeps consent.
 */
@Component
@Transactional
class JdbcConsentStore implements OAuth2AuthorizationConsentService {

	private static final String SCOPE = "SCOPE_";

	private final JdbcClient jdbc;

	JdbcConsentStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void save(OAuth2AuthorizationConsent consent) {
		Optional<Long> account = accountId(consent.getPrincipalName());
		if (account.isEmpty()) {
			return;
		}
		String scopes = String.join(" ", consent.getScopes().stream().sorted().toList());
		int updated = jdbc.sql("""
				update oauth_consent set scopes = :scopes, granted_at = :now
				where client_id = :client and account_id = :account
				""")
			.param("scopes", scopes)
			.param("now", OffsetDateTime.now(ZoneOffset.UTC))
			.param("client", consent.getRegisteredClientId())
			.param("account", account.get())
			.update();
		if (updated == 0) {
			jdbc.sql("""
					insert into oauth_consent (client_id, account_id, scopes, granted_at)
					values (:client, :account, :scopes, :now)
					""")
				.param("client", consent.getRegisteredClientId())
				.param("account", account.get())
				.param("scopes", scopes)
				.param("now", OffsetDateTime.now(ZoneOffset.UTC))
				.update();
		}
	}

	@Override
	public void remove(OAuth2AuthorizationConsent consent) {
		accountId(consent.getPrincipalName()).ifPresent(account -> withdraw(consent.getRegisteredClientId(), account));
	}

	@Override
	@Transactional(readOnly = true)
	public @Nullable OAuth2AuthorizationConsent findById(String registeredClientId, String principalName) {
		return jdbc.sql("""
				select c.scopes from oauth_consent c join account a on a.id = c.account_id
				where c.client_id = :client and a.username_key = lower(trim(:username))
				""")
			.param("client", registeredClientId)
			.param("username", principalName)
			.query(String.class)
			.optional()
			.map(scopes -> {
				OAuth2AuthorizationConsent.Builder builder = OAuth2AuthorizationConsent.withId(registeredClientId,
						principalName);
				for (String scope : splitScopes(scopes)) {
					builder.authority(new SimpleGrantedAuthority(SCOPE + scope));
				}
				return builder.build();
			})
			.orElse(null);
	}

	/**
	 * The live clients the user consented to, by client name: one read through the {@code account_id} index, joined
	 * to each client by primary key. Deleted clients are left out; deleting one already revoked what it issued.
	 */
	@Transactional(readOnly = true)
	List<AuthorizedApplication> findForAccount(long accountId) {
		return jdbc.sql("""
				select c.client_id, a.name, c.scopes, c.granted_at from oauth_consent c
				join auth_client a on a.id = c.client_id
				where c.account_id = :account and a.revoked = false
				order by lower(a.name), c.client_id
				""")
			.param("account", accountId)
			.query((rs, i) -> new AuthorizedApplication(rs.getString("client_id"), rs.getString("name"),
					splitScopes(rs.getString("scopes")), rs.getObject("granted_at", OffsetDateTime.class).toInstant()))
			.list();
	}

	/** Withdraws the user's consent for the client; the next authorization request asks again. */
	boolean withdraw(String clientId, long accountId) {
		return jdbc.sql("delete from oauth_consent where client_id = :client and account_id = :account")
			.param("client", clientId)
			.param("account", accountId)
			.update() > 0;
	}

	private static List<String> splitScopes(String scopes) {
		return scopes.isEmpty() ? List.of() : List.of(scopes.split(" "));
	}

	private Optional<Long> accountId(String username) {
		return jdbc.sql("select id from account where username_key = lower(trim(:username))")
			.param("username", username)
			.query(Long.class)
			.optional();
	}

}
