package io.gatehouse.accounts;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.personaltokens.PersonalAccessTokenDraft;
import io.gatehouse.personaltokens.PersonalAccessTokenService;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static io.gatehouse.signin.Permissions.ALL;
import static io.gatehouse.signin.Permissions.DELETE_USERS;
import static io.gatehouse.signin.Permissions.EDIT_USERS;
import static io.gatehouse.signin.Permissions.VIEW_USERS;
import static io.gatehouse.support.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * The actor's power against the owner's, for another user's personal access tokens and authorized applications:
 * reading them needs view-users, but revoking a token or withdrawing an application changes the owner's account, so it
 * also needs every permission the owner holds (only a super admin for a super admin), as every other change to an
 * account does. Each case asserts the exact status and re-reads the token or the consent.
 */
@GatehouseIntegrationTest
class TokenOwnerPowerMatrixIntegrationTests {

	static final Set<String> EDITOR = Set.of(VIEW_USERS, EDIT_USERS);

	enum ActorKind {

		EDITOR, EDITOR_THROUGH_GROUP, SUPER_ADMIN;

		User create(JdbcClient jdbc) {
			return switch (this) {
				case EDITOR -> TestAccounts.user().permissions(TokenOwnerPowerMatrixIntegrationTests.EDITOR)
					.create(jdbc);
				case EDITOR_THROUGH_GROUP -> TestAccounts.user()
					.permissionsThroughGroup(TokenOwnerPowerMatrixIntegrationTests.EDITOR).create(jdbc);
				case SUPER_ADMIN -> TestAccounts.user().superAdmin().create(jdbc);
			};
		}

	}

	enum OwnerKind {

		WEAKER, SAME, STRONGER, STRONGER_THROUGH_GROUP, ALL_TWELVE, SUPER_ADMIN, SELF;

		/** Whether a non-super-admin editor holds every permission this owner holds. */
		boolean heldByEditor() {
			return this == WEAKER || this == SAME || this == SELF;
		}

	}

	enum Action {

		LIST_TOKENS(200, false), SHOW_TOKEN(200, false), REVOKE_TOKEN(204, true), LIST_APPLICATIONS(200, false),
		WITHDRAW_APPLICATION(204, true);

		final int status;

		final boolean changes;

		Action(int status, boolean changes) {
			this.status = status;
			this.changes = changes;
		}

	}

	static int expectedStatus(ActorKind actor, OwnerKind owner, Action action) {
		boolean mayChange = actor == ActorKind.SUPER_ADMIN || owner.heldByEditor();
		return !action.changes || mayChange ? action.status : 403;
	}

	static Stream<Arguments> cases() {
		return EnumSet.allOf(ActorKind.class).stream()
			.flatMap(actor -> EnumSet.allOf(OwnerKind.class).stream()
				.flatMap(owner -> EnumSet.allOf(Action.class).stream()
					.map(action -> Arguments.of(actor, owner, action))));
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PersonalAccessTokenService tokens;

	@Autowired
	AuthClientService clients;

	@ParameterizedTest(name = "{2} of {1} by {0}")
	@MethodSource("cases")
	void actionWhenActorAgainstOwnerThenChangesAllowedExactlyWhenActorHoldsAllOwnerHolds(ActorKind actorKind,
			OwnerKind ownerKind, Action action) throws Exception {
		User actor = actorKind.create(jdbc);
		User owner = owner(ownerKind, actor);
		long token = tokens.create(owner.id(), new PersonalAccessTokenDraft("matrix", List.of("api"), null, null))
			.token().id();
		String client = consent(owner);

		MockHttpServletResponse response = mvc.perform(request(action, owner, token, client).with(as(actor))
			.with(csrf())).andReturn().getResponse();

		String what = action + " of " + ownerKind + " by " + actorKind + ": " + response.getContentAsString();
		int expected = expectedStatus(actorKind, ownerKind, action);
		assertThat(response.getStatus()).as(what).isEqualTo(expected);
		assertThat(revoked(token)).as(what).isEqualTo(action == Action.REVOKE_TOKEN && expected == 204);
		assertThat(consented(owner, client)).as(what)
			.isEqualTo(action != Action.WITHDRAW_APPLICATION || expected != 204);
	}

	private static MockHttpServletRequestBuilder request(Action action, User owner, long token, String client) {
		return switch (action) {
			case LIST_TOKENS -> get("/api/1.0/users/{id}/tokens", owner.id());
			case SHOW_TOKEN -> get("/api/1.0/users/{id}/tokens/{token}", owner.id(), token);
			case REVOKE_TOKEN -> delete("/api/1.0/users/{id}/tokens/{token}", owner.id(), token);
			case LIST_APPLICATIONS -> get("/api/1.0/users/{id}/applications", owner.id());
			case WITHDRAW_APPLICATION -> delete("/api/1.0/users/{id}/applications/{client}", owner.id(), client);
		};
	}

	private User owner(OwnerKind kind, User actor) {
		return switch (kind) {
			case WEAKER -> TestAccounts.user().permissions(VIEW_USERS).create(jdbc);
			case SAME -> TestAccounts.user().permissions(EDITOR).create(jdbc);
			case STRONGER -> TestAccounts.user().permissions(VIEW_USERS, EDIT_USERS, DELETE_USERS).create(jdbc);
			case STRONGER_THROUGH_GROUP -> TestAccounts.user().permissions(VIEW_USERS)
				.permissionsThroughGroup(DELETE_USERS).create(jdbc);
			case ALL_TWELVE -> TestAccounts.user().permissionsThroughGroup(ALL).create(jdbc);
			case SUPER_ADMIN -> TestAccounts.user().superAdmin().create(jdbc);
			case SELF -> actor;
		};
	}

	/** The owner's consent to a new code client, as the consent page stores it; returns the client's id. */
	private String consent(User owner) {
		String client = clients.create(new AuthClientDraft("matrix app " + UUID.randomUUID(),
				Set.of(GrantType.AUTHORIZATION_CODE), List.of("https://app.example.com/callback"))).client().id();
		jdbc.sql("""
				insert into oauth_consent (client_id, account_id, scopes, granted_at)
				values (:client, :account, 'api', :now)
				""")
			.param("client", client)
			.param("account", owner.id())
			.param("now", OffsetDateTime.now(ZoneOffset.UTC))
			.update();
		return client;
	}

	private boolean revoked(long token) {
		return jdbc.sql("select revoked_at from personal_access_token where id = :id").param("id", token)
			.query((rs, row) -> rs.getObject("revoked_at") != null).single();
	}

	private boolean consented(User owner, String client) {
		return jdbc.sql("select count(*) from oauth_consent where account_id = :account and client_id = :client")
			.param("account", owner.id()).param("client", client).query(Long.class).single() == 1;
	}

}
