package io.gatehouse.cluster;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.accounts.AccountService;
import io.gatehouse.accounts.Group;
import io.gatehouse.accounts.GroupInput;
import io.gatehouse.accounts.GroupService;
import io.gatehouse.accounts.User;
import io.gatehouse.accounts.UserInput;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.oauth.UserGrants;
import io.gatehouse.personaltokens.IssuedPersonalAccessToken;
import io.gatehouse.personaltokens.PersonalAccessTokenDraft;
import io.gatehouse.personaltokens.PersonalAccessTokenService;
import io.gatehouse.signin.Permissions;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;

import static io.gatehouse.support.OAuthRequests.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Every change that can make a cached client, account, group, grant or personal access token stale is signalled to
 * the nodes, by the module that owns it, once the change commits: the caches of the hot paths depend on it.
 */
@GatehouseIntegrationTest
@RecordApplicationEvents
class ChangeSignalPublishingIntegrationTests {

	@Autowired
	ApplicationEvents events;

	@Autowired
	AuthClientService clients;

	@Autowired
	AccountService accounts;

	@Autowired
	GroupService groups;

	@Autowired
	PersonalAccessTokenService personalAccessTokens;

	@Autowired
	UserGrants userGrants;

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	private User admin;

	@BeforeEach
	void admin() {
		admin = TestAccounts.user().superAdmin().create(jdbc);
	}

	@Test
	void clientWhenCreatedChangedGivenANewSecretOrDeletedThenEachSignalled() {
		TestAccounts.runAs(admin, () -> {
			IssuedSecret created = clients.create(draft(Set.of(GrantType.PASSWORD)));
			String id = created.client().id();
			assertThat(drain()).containsExactly(new ChangeSignal(Topics.CLIENT, id));

			clients.update(id, null, new AuthClientDraft(created.client().name(), Set.of(GrantType.PERSONAL_ACCESS),
					List.of()));
			assertThat(drain()).containsExactly(new ChangeSignal(Topics.CLIENT, id));

			clients.regenerateSecret(id);
			assertThat(drain()).containsExactly(new ChangeSignal(Topics.CLIENT, id));

			clients.delete(id);
			assertThat(drain()).containsExactly(new ChangeSignal(Topics.CLIENT, id));
		});
	}

	@Test
	void clientWhenDeletedThenItsServiceAccountSignalledToo() {
		TestAccounts.runAs(admin, () -> {
			IssuedSecret created = clients.create(draft(Set.of(GrantType.CLIENT_CREDENTIALS)));
			drain();
			clients.delete(created.client().id());
			assertThat(drain()).containsExactlyInAnyOrder(new ChangeSignal(Topics.CLIENT, created.client().id()),
					new ChangeSignal(Topics.ACCOUNT, String.valueOf(created.client().serviceAccountId())));
		});
	}

	@Test
	void accountWhenPermissionsChangedDeactivatedOrDeletedThenEachSignalled() {
		User user = TestAccounts.user().permissions(Permissions.VIEW_AUTH_CLIENTS).create(jdbc);
		String key = Long.toString(user.id());
		TestAccounts.runAs(admin, () -> {
			accounts.setUserPermissions(user.id(), Set.of());
			assertThat(drain()).containsExactly(new ChangeSignal(Topics.ACCOUNT, key));

			accounts.updateUser(user.id(), null, new UserInput(null, null, null, null, false, null, null, null));
			assertThat(drain()).containsExactly(new ChangeSignal(Topics.ACCOUNT, key));

			accounts.deleteUser(user.id());
			assertThat(drain()).containsExactly(new ChangeSignal(Topics.ACCOUNT, key));
		});
	}

	@Test
	void groupWhenPermissionsOrMembersChangedOrDeletedThenEachSignalled() {
		User member = TestAccounts.user().create(jdbc);
		TestAccounts.runAs(admin, () -> {
			Group group = groups.createGroup(new GroupInput("Signals " + UUID.randomUUID(), "", Set.of()));
			String key = Long.toString(group.id());
			drain();

			groups.setMembers(group.id(), List.of(member.id()));
			assertThat(drain()).containsExactly(new ChangeSignal(Topics.GROUP, key));

			groups.setGroupPermissions(group.id(), Set.of(Permissions.VIEW_USERS));
			assertThat(drain()).containsExactly(new ChangeSignal(Topics.GROUP, key));

			groups.deleteGroup(group.id());
			assertThat(drain()).containsExactly(new ChangeSignal(Topics.GROUP, key));
		});
	}

	@Test
	void personalAccessTokenWhenRevokedThenSignalled() {
		User owner = TestAccounts.user().create(jdbc);
		TestAccounts.runAs(owner, () -> {
			IssuedPersonalAccessToken token = personalAccessTokens.create(owner.id(),
					new PersonalAccessTokenDraft("ci", List.of("api"), null, 30));
			drain();
			personalAccessTokens.revoke(owner.id(), token.token().id());
			assertThat(drain()).containsExactly(
					new ChangeSignal(Topics.PERSONAL_ACCESS_TOKEN, Long.toString(token.token().id())));
		});
	}

	@Test
	void grantWhenAccessTokenRevokedAtTheRevocationEndpointThenSignalledWithItsAuthorization() throws Exception {
		User user = TestAccounts.user().create(jdbc);
		IssuedSecret client = TestAccounts.call(admin, () -> clients.create(draft(Set.of(GrantType.PASSWORD))));
		JsonNode tokens = passwordGrant(client, user);
		drain();

		mvc.perform(post("/oauth/revoke").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("token", tokens.get("access_token").asString()))
			.andExpect(status().isOk());

		assertThat(drain()).containsExactly(new ChangeSignal(Topics.GRANT, authorizationOf(client)));
	}

	@Test
	void grantWhenRotatedRefreshTokenComesBackThenSignalled() throws Exception {
		User user = TestAccounts.user().create(jdbc);
		IssuedSecret client = TestAccounts.call(admin, () -> clients.create(draft(Set.of(GrantType.PASSWORD))));
		String first = passwordGrant(client, user).get("refresh_token").asString();
		refresh(client, first).andExpect(status().isOk());
		drain();

		refresh(client, first).andExpect(status().isBadRequest());

		assertThat(drain()).containsExactly(new ChangeSignal(Topics.GRANT, authorizationOf(client)));
	}

	@Test
	void tokenWhenIssuedOrRefreshedThenNothingSignalled() throws Exception {
		User user = TestAccounts.user().create(jdbc);
		IssuedSecret client = TestAccounts.call(admin, () -> clients.create(draft(Set.of(GrantType.PASSWORD))));
		drain();
		refresh(client, passwordGrant(client, user).get("refresh_token").asString()).andExpect(status().isOk());
		assertThat(drain()).as("issuing is the hot path: it changes nothing anyone caches").isEmpty();
	}

	@Test
	void accountWhenConsentWithdrawnThenSignalled() {
		User user = TestAccounts.user().create(jdbc);
		IssuedSecret client = TestAccounts.call(admin,
				() -> clients.create(new AuthClientDraft("Signals " + UUID.randomUUID(),
						Set.of(GrantType.AUTHORIZATION_CODE), List.of("https://app.example/cb"))));
		drain();
		userGrants.revokeCodeGrants(client.client().id(), user.id());
		assertThat(drain()).containsExactly(new ChangeSignal(Topics.ACCOUNT, Long.toString(user.id())));
	}

	private List<ChangeSignal> drain() {
		List<ChangeSignal> signals = events.stream(ChangeSignal.class).toList();
		events.clear();
		return signals;
	}

	private static AuthClientDraft draft(Set<GrantType> grants) {
		return new AuthClientDraft("Signals " + UUID.randomUUID(), grants, List.of());
	}

	private JsonNode passwordGrant(IssuedSecret client, User user) throws Exception {
		return json.readTree(mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "password").param("username", user.username())
			.param("password", TestAccounts.PASSWORD))
			.andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
	}

	private org.springframework.test.web.servlet.ResultActions refresh(IssuedSecret client, String refreshToken)
			throws Exception {
		return mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "refresh_token").param("refresh_token", refreshToken));
	}

	private String authorizationOf(IssuedSecret client) {
		return jdbc.sql("select id from oauth_authorization where client_id = :client").param("client",
				client.client().id()).query(String.class).single();
	}

}
