package io.gatehouse.personaltokens;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.gatehouse.accounts.User;
import io.gatehouse.api.NotFoundException;
import io.gatehouse.api.PageQuery;
import io.gatehouse.api.ValidationException;
import io.gatehouse.clients.TestAuthClients;
import io.gatehouse.secrets.Secrets;
import io.gatehouse.signin.Permissions;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@GatehouseIntegrationTest
class PersonalAccessTokenServiceIntegrationTests {

	@Autowired
	PersonalAccessTokenService tokens;

	@Autowired
	PersonalAccessTokenAuthenticationManager manager;

	@Autowired
	JdbcClient jdbc;

	@Test
	void createWhenValidThenValueIsPrefixedRandomAndOnlyItsHashStored() {
		User owner = TestAccounts.user().create(jdbc);
		IssuedPersonalAccessToken first = tokens.create(owner.id(), draft("one"));
		IssuedPersonalAccessToken second = tokens.create(owner.id(), draft("two"));
		assertThat(first.value()).startsWith("gtpat_").hasSize(6 + 43).isNotEqualTo(second.value());
		assertThat(first.toString()).doesNotContain(first.value());
		assertThat(jdbc.sql("select token_hash from personal_access_token where account_id = :id order by id")
			.param("id", owner.id()).query(String.class).list())
			.containsExactly(Secrets.sha256(first.value()), Secrets.sha256(second.value()));
	}

	@Test
	void createWhenDuplicateScopesThenStoredOnce() {
		User owner = TestAccounts.user().create(jdbc);
		var issued = tokens.create(owner.id(), new PersonalAccessTokenDraft("dup", List.of("api", "api"), null, null));
		assertThat(issued.token().scopes()).containsExactly("api");
	}

	@Test
	void createWhenClientLacksPersonalAccessThenValidationErrorAndNothingWritten() {
		User owner = TestAccounts.user().create(jdbc);
		String client = TestAuthClients.client().withoutPersonalAccess().create(jdbc);
		assertThatThrownBy(() -> tokens.create(owner.id(), new PersonalAccessTokenDraft("x", List.of("api"), client,
				30)))
			.isInstanceOfSatisfying(ValidationException.class,
					ex -> assertThat(ex.errors()).containsOnlyKeys("client_id"));
		assertThat(tokens.list(owner.id(), firstPage()).total()).isZero();
	}

	@Test
	void authenticateWhenUsedRepeatedlyWithinAMinuteThenLastUsedWrittenOnce() {
		User owner = TestAccounts.user().create(jdbc);
		IssuedPersonalAccessToken issued = tokens.create(owner.id(), draft("busy"));
		assertThat(tokens.authenticate(issued.value())).isPresent();
		var firstUse = tokens.get(owner.id(), issued.token().id()).lastUsedAt();
		assertThat(firstUse).isNotNull();
		for (int i = 0; i < 5; i++) {
			assertThat(tokens.authenticate(issued.value())).isPresent();
		}
		assertThat(tokens.get(owner.id(), issued.token().id()).lastUsedAt()).isEqualTo(firstUse);

		jdbc.sql("update personal_access_token set last_used_at = :t where id = :id")
			.param("t", OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(2))
			.param("id", issued.token().id())
			.update();
		tokens.authenticate(issued.value());
		assertThat(tokens.get(owner.id(), issued.token().id()).lastUsedAt()).isAfter(firstUse.minusSeconds(1));
	}

	@Test
	void authenticateWhenRevokedThenEmptyAtOnce() {
		User owner = TestAccounts.user().create(jdbc);
		IssuedPersonalAccessToken issued = tokens.create(owner.id(), draft("short"));
		var authenticated = tokens.authenticate(issued.value()).orElseThrow();
		assertThat(authenticated.user().id()).isEqualTo(owner.id());
		assertThat(authenticated.scopes()).containsExactly("api");
		tokens.revoke(owner.id(), issued.token().id());
		assertThat(tokens.authenticate(issued.value())).isEmpty();
		assertThat(tokens.get(owner.id(), issued.token().id()).revokedAt()).isNotNull();
	}

	@Test
	void revokeWhenTokenOfAnotherAccountThenNotFoundAndStillUsable() {
		User owner = TestAccounts.user().create(jdbc);
		User other = TestAccounts.user().create(jdbc);
		IssuedPersonalAccessToken issued = tokens.create(owner.id(), draft("mine"));
		assertThatThrownBy(() -> tokens.revoke(other.id(), issued.token().id())).isInstanceOf(NotFoundException.class);
		assertThat(tokens.authenticate(issued.value())).isPresent();
	}

	@Test
	void revokeAllForClientWhenClientHasTokensThenAllStopWorkingAndCountReturned() {
		User owner = TestAccounts.user().create(jdbc);
		String client = TestAuthClients.client().create(jdbc);
		var a = tokens.create(owner.id(), new PersonalAccessTokenDraft("a", List.of("api"), client, 30));
		var b = tokens.create(owner.id(), new PersonalAccessTokenDraft("b", List.of("api"), client, 30));
		var other = tokens.create(owner.id(), draft("default client"));
		assertThat(tokens.countActiveForClient(client)).isEqualTo(2);
		assertThat(tokens.revokeAllForClient(client)).isEqualTo(2);
		assertThat(tokens.countActiveForClient(client)).isZero();
		assertThat(tokens.authenticate(a.value())).isEmpty();
		assertThat(tokens.authenticate(b.value())).isEmpty();
		assertThat(tokens.authenticate(other.value())).isPresent();
	}

	@Test
	void managerWhenValidThenPrincipalIsOwnerWithPermissionsAndScopeAuthorities() {
		User owner = TestAccounts.user().permissionsThroughGroup(Permissions.VIEW_GROUPS).create(jdbc);
		var issued = tokens.create(owner.id(), draft("m"));
		Authentication result = manager.authenticate(new BearerTokenAuthenticationToken(issued.value()));
		assertThat(result.isAuthenticated()).isTrue();
		assertThat(result.getPrincipal()).isEqualTo(TestAccounts.signedIn(owner));
		assertThat(result.getCredentials()).isNull();
		assertThat(result.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactlyInAnyOrder("SCOPE_api", Permissions.VIEW_GROUPS);
	}

	@Test
	void managerWhenSuperAdminThenEveryPermissionAndSuperAdminAuthority() {
		User owner = TestAccounts.user().superAdmin().create(jdbc);
		var issued = tokens.create(owner.id(), draft("root"));
		Authentication result = manager.authenticate(new BearerTokenAuthenticationToken(issued.value()));
		assertThat(result.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsAll(Permissions.ALL)
			.contains(Permissions.SUPER_ADMIN_AUTHORITY, "SCOPE_api");
	}

	@Test
	void managerWhenUnknownTokenOrOtherAuthenticationThenInvalidBearerToken() {
		assertThatThrownBy(() -> manager.authenticate(new BearerTokenAuthenticationToken("gtpat_nope")))
			.isInstanceOf(InvalidBearerTokenException.class);
		assertThatThrownBy(() -> manager.authenticate(UsernamePasswordAuthenticationToken.unauthenticated("a", "b")))
			.isInstanceOf(InvalidBearerTokenException.class);
	}

	private static PersonalAccessTokenDraft draft(String name) {
		return new PersonalAccessTokenDraft(name, List.of("api"), null, null);
	}

	private static PageQuery firstPage() {
		return new PageQuery(1, 10, "", "created_at", true);
	}

}
