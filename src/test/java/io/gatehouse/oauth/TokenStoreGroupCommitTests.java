package io.gatehouse.oauth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.gatehouse.accounts.User;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.oauth.JdbcAuthorizationRepository.AuthorizationRow;
import io.gatehouse.oauth.JdbcAuthorizationRepository.NewGrantRows;
import io.gatehouse.oauth.JdbcAuthorizationRepository.StoredToken;
import io.gatehouse.support.AtOnce;
import io.gatehouse.signin.Permissions;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.framework.Advised;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

import static io.gatehouse.support.OAuthRequests.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * New client-credentials grants and refresh token rotations committed in groups ({@link TokenStoreGroupCommit}),
 * through the real token endpoint from real threads: every request that got a token has it committed and active,
 * requests that queue behind a commit share one transaction, a bad row fails only its own request, a refresh token
 * presented twice in one group or revoked while it waits is a reuse as it is alone, and a save inside a caller's
 * transaction stays part of it. Run on H2 and PostgreSQL by the subclasses.
 */
@GatehouseIntegrationTest
abstract class TokenStoreGroupCommitTests {

	static final int REQUESTS = 24;

	static final int QUEUED = 8;

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Autowired
	AuthClientService clients;

	@Autowired
	JdbcAuthorizationRepository repository;

	@Autowired
	TokenStoreGroupCommit groupCommit;

	@Autowired
	GroupCommittedTokenStore tokenStore;

	@Autowired
	RegisteredClientRepository registeredClients;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	MeterRegistry registry;

	IssuedSecret client;

	MethodInterceptor gate;

	final CountDownLatch firstGroupInside = new CountDownLatch(1);

	final CountDownLatch releaseFirstGroup = new CountDownLatch(1);

	final List<Integer> groupSizes = Collections.synchronizedList(new ArrayList<>());

	IssuedSecret passwordClient;

	User user;

	@BeforeEach
	void setUp() {
		client = clients.create(new AuthClientDraft("Grouped " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
		passwordClient = clients.create(new AuthClientDraft("Grouped refresh " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD), List.of()));
		user = TestAccounts.user().username("grouped-" + UUID.randomUUID()).permissions(Permissions.VIEW_AUTH_CLIENTS)
			.create(jdbc);
	}

	@AfterEach
	void openTheGate() {
		releaseFirstGroup.countDown();
		if (gate != null) {
			((Advised) repository).removeAdvice(gate);
		}
	}

	@Test
	void clientCredentialsWhenManyRequestsAtOnceThenEveryTokenIsCommittedAndActive() throws Exception {
		double groupedBefore = grouped().totalAmount();

		List<MockHttpServletResponse> answers = AtOnce.run(REQUESTS, this::clientCredentials);

		assertThat(answers).extracting(MockHttpServletResponse::getStatus).containsOnly(200);
		for (MockHttpServletResponse answer : answers) {
			assertThat(introspect(accessToken(answer))).as("introspected").isTrue();
		}
		assertThat(count("select count(*) from oauth_authorization where client_id = :client")).isEqualTo(REQUESTS);
		assertThat(count("""
				select count(*) from oauth_token t join oauth_authorization a on a.id = t.authorization_id
				where a.client_id = :client and t.token_type = 'access_token'
				""")).isEqualTo(REQUESTS);
		assertThat(grouped().totalAmount() - groupedBefore).as("grants committed by the group commit")
			.isEqualTo(REQUESTS);
	}

	@Test
	void clientCredentialsWhenRequestsQueueBehindACommitThenTheyShareOneTransaction() throws Exception {
		holdTheFirstGroup();
		long commitsBefore = grouped().count();
		ExecutorService threads = Executors.newFixedThreadPool(QUEUED + 1);
		try {
			Future<MockHttpServletResponse> first = threads.submit(this::clientCredentials);
			assertThat(firstGroupInside.await(30, TimeUnit.SECONDS)).as("the first request is writing").isTrue();
			List<Future<MockHttpServletResponse>> queued = new ArrayList<>();
			for (int i = 0; i < QUEUED; i++) {
				queued.add(threads.submit(this::clientCredentials));
			}
			awaitWaiting(QUEUED);
			assertThat(count("select count(*) from oauth_authorization where client_id = :client"))
				.as("nothing committed while the first group is held").isZero();

			releaseFirstGroup.countDown();

			assertThat(first.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
			for (Future<MockHttpServletResponse> each : queued) {
				MockHttpServletResponse answer = each.get(30, TimeUnit.SECONDS);
				assertThat(answer.getStatus()).isEqualTo(200);
				assertThat(introspect(accessToken(answer))).as("introspected").isTrue();
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(groupSizes).as("grants per transaction").containsExactly(1, QUEUED);
		assertThat(grouped().count() - commitsBefore).as("commits").isEqualTo(2);
		assertThat(count("select count(*) from oauth_authorization where client_id = :client"))
			.isEqualTo(QUEUED + 1);
	}

	@Test
	void groupWhenOneGrantsRowIsBadThenOnlyThatRequestFailsAndNothingOfItIsWritten() throws Exception {
		String taken = TokenHashes.of(accessToken(clientCredentials()));
		holdTheFirstGroup();
		String badGrant = UUID.randomUUID().toString();
		ExecutorService threads = Executors.newFixedThreadPool(QUEUED + 1);
		try {
			Future<MockHttpServletResponse> first = threads.submit(this::clientCredentials);
			assertThat(firstGroupInside.await(30, TimeUnit.SECONDS)).as("the first request is writing").isTrue();
			List<Future<MockHttpServletResponse>> good = new ArrayList<>();
			for (int i = 0; i < QUEUED - 1; i++) {
				good.add(threads.submit(this::clientCredentials));
			}
			// a grant whose token collides with a stored token's hash: its batch fails as a whole
			Future<?> bad = threads.submit(() -> groupCommit.commit(grantWithToken(badGrant, taken)));
			awaitWaiting(QUEUED);

			releaseFirstGroup.countDown();

			assertThat(first.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
			for (Future<MockHttpServletResponse> each : good) {
				MockHttpServletResponse answer = each.get(30, TimeUnit.SECONDS);
				assertThat(answer.getStatus()).as(answer.getContentAsString()).isEqualTo(200);
				assertThat(introspect(accessToken(answer))).as("introspected").isTrue();
			}
			assertThatThrownBy(() -> bad.get(30, TimeUnit.SECONDS))
				.hasCauseInstanceOf(DataIntegrityViolationException.class);
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(jdbc.sql("select count(*) from oauth_authorization where id = :id").param("id", badGrant)
			.query(Long.class).single()).as("the bad grant's row").isZero();
		assertThat(count("select count(*) from oauth_authorization where client_id = :client")).isEqualTo(QUEUED + 1);
	}

	@Test
	void refreshWhenRequestsQueueBehindACommitThenTheirRotationsShareOneTransaction() throws Exception {
		List<JsonNode> grants = new ArrayList<>();
		for (int i = 0; i < QUEUED; i++) {
			grants.add(passwordGrant());
		}
		holdTheFirstGroup();
		ExecutorService threads = Executors.newFixedThreadPool(QUEUED + 1);
		List<MockHttpServletResponse> answers = new ArrayList<>();
		try {
			Future<MockHttpServletResponse> first = threads.submit(this::clientCredentials);
			assertThat(firstGroupInside.await(30, TimeUnit.SECONDS)).as("the first request is writing").isTrue();
			List<Future<MockHttpServletResponse>> queued = new ArrayList<>();
			for (JsonNode grant : grants) {
				queued.add(threads.submit(() -> refresh(grant.get("refresh_token").asString())));
			}
			awaitWaiting(QUEUED);

			releaseFirstGroup.countDown();

			assertThat(first.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
			for (Future<MockHttpServletResponse> each : queued) {
				answers.add(each.get(30, TimeUnit.SECONDS));
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(groupSizes).as("grants per transaction").containsExactly(1, QUEUED);
		for (int i = 0; i < QUEUED; i++) {
			JsonNode rotated = json.readTree(answers.get(i).getContentAsString());
			assertThat(introspect(rotated.get("access_token").asString(), passwordClient)).as("new access token")
				.isTrue();
			assertThat(introspect(rotated.get("refresh_token").asString(), passwordClient)).as("new refresh token")
				.isTrue();
			assertThat(jdbc.sql("select superseded from oauth_token where token_hash = :hash")
				.param("hash", TokenHashes.of(grants.get(i).get("refresh_token").asString())).query(Boolean.class)
				.single()).as("the presented refresh token rotated away").isTrue();
		}
	}

	@Test
	void refreshWhenTwoRequestsOfOneGroupPresentTheSameTokenThenOneWinsAndTheGrantIsRevoked() throws Exception {
		JsonNode grant = passwordGrant();
		String refreshToken = grant.get("refresh_token").asString();
		holdTheFirstGroup();
		ExecutorService threads = Executors.newFixedThreadPool(3);
		List<MockHttpServletResponse> answers = new ArrayList<>();
		try {
			Future<MockHttpServletResponse> first = threads.submit(this::clientCredentials);
			assertThat(firstGroupInside.await(30, TimeUnit.SECONDS)).as("the first request is writing").isTrue();
			List<Future<MockHttpServletResponse>> queued = List.of(threads.submit(() -> refresh(refreshToken)),
					threads.submit(() -> refresh(refreshToken)));
			// both loaded the token while it was live, and wait to be written in the same group
			awaitWaiting(2);

			releaseFirstGroup.countDown();

			assertThat(first.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
			for (Future<MockHttpServletResponse> each : queued) {
				answers.add(each.get(30, TimeUnit.SECONDS));
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(answers).extracting(MockHttpServletResponse::getStatus).containsExactlyInAnyOrder(200, 400);
		MockHttpServletResponse winner = answers.stream().filter(answer -> answer.getStatus() == 200).findFirst()
			.orElseThrow();
		MockHttpServletResponse loser = answers.stream().filter(answer -> answer.getStatus() == 400).findFirst()
			.orElseThrow();
		assertThat(json.readTree(loser.getContentAsString()).get("error").asString()).isEqualTo("invalid_grant");
		// RFC 9700 4.14.2: a reuse ends the grant, the tokens the winner was just given too
		JsonNode rotated = json.readTree(winner.getContentAsString());
		assertThat(introspect(rotated.get("access_token").asString(), passwordClient)).isFalse();
		assertThat(introspect(rotated.get("refresh_token").asString(), passwordClient)).isFalse();
		assertThat(liveTokensOfGrantOf(refreshToken)).as("live tokens of the grant").isZero();
	}

	@Test
	void refreshWhenTheGrantIsRevokedWhileItWaitsForItsGroupThenNothingIsIssued() throws Exception {
		JsonNode grant = passwordGrant();
		String refreshToken = grant.get("refresh_token").asString();
		String grantId = jdbc.sql("select authorization_id from oauth_token where token_hash = :hash")
			.param("hash", TokenHashes.of(refreshToken)).query(String.class).single();
		holdTheFirstGroup();
		ExecutorService threads = Executors.newFixedThreadPool(2);
		MockHttpServletResponse answer;
		try {
			Future<MockHttpServletResponse> first = threads.submit(this::clientCredentials);
			assertThat(firstGroupInside.await(30, TimeUnit.SECONDS)).as("the first request is writing").isTrue();
			Future<MockHttpServletResponse> queued = threads.submit(() -> refresh(refreshToken));
			awaitWaiting(1);
			transactions.executeWithoutResult(status -> repository.revokeAuthorization(grantId));

			releaseFirstGroup.countDown();

			assertThat(first.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
			answer = queued.get(30, TimeUnit.SECONDS);
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(answer.getStatus()).as(answer.getContentAsString()).isEqualTo(400);
		assertThat(json.readTree(answer.getContentAsString()).get("error").asString()).isEqualTo("invalid_grant");
		assertThat(liveTokensOfGrantOf(refreshToken)).as("live tokens of the grant").isZero();
		assertThat(jdbc.sql("select count(*) from oauth_token where authorization_id = :id").param("id", grantId)
			.query(Long.class).single()).as("tokens of the grant: none added").isEqualTo(2);
	}

	@Test
	void saveWhenInsideTheCallersTransactionThenItIsPartOfIt() {
		double groupedBefore = grouped().totalAmount();
		OAuth2Authorization grant = newClientCredentialsGrant();

		transactions.executeWithoutResult(status -> {
			tokenStore.save(grant);
			status.setRollbackOnly();
		});

		String hash = TokenHashes.of(grant.getAccessToken().getToken().getTokenValue());
		assertThat(jdbc.sql("select count(*) from oauth_token where token_hash = :hash").param("hash", hash)
			.query(Long.class).single()).as("rolled back with the caller's transaction").isZero();
		assertThat(grouped().totalAmount()).as("grants committed by the group commit").isEqualTo(groupedBefore);

		tokenStore.save(grant);

		List<String> stored = jdbc.sql("""
				select a.id from oauth_token t join oauth_authorization a on a.id = t.authorization_id
				where t.token_hash = :hash""").param("hash", hash).query(String.class).list();
		assertThat(stored).as("saved on its own").hasSize(1);
		assertThat(grouped().totalAmount() - groupedBefore).as("grants committed by the group commit").isEqualTo(1);
		// a group-committed grant's rows get an id in time order (GrantIds), not Spring's random one
		assertThat(stored.get(0)).isNotEqualTo(grant.getId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab].*");
	}

	private OAuth2Authorization newClientCredentialsGrant() {
		Instant now = Instant.now();
		return OAuth2Authorization.withRegisteredClient(registeredClients.findByClientId(client.client().id()))
			.principalName(client.client().id())
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.token(new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, UUID.randomUUID().toString(), now,
					now.plusSeconds(300)))
			.build();
	}

	private NewGrantRows grantWithToken(String grantId, String tokenHash) {
		return new NewGrantRows(new AuthorizationRow(grantId, client.client().id(), client.client().id(),
				"client_credentials", "", "{}"), null, null, List.of(new StoredToken(tokenHash,
						JdbcTokenStore.ACCESS, Instant.now(), Instant.now().plusSeconds(300), false, false, "{}",
						null)));
	}

	/** The first transaction of the group commit waits, inside, until {@link #releaseFirstGroup}. */
	private void holdTheFirstGroup() {
		gate = invocation -> {
			if (invocation.getMethod().getName().equals("insertNewGrants")
					|| invocation.getMethod().getName().equals("rotate")) {
				groupSizes.add(((List<?>) invocation.getArguments()[0]).size());
				if (firstGroupInside.getCount() > 0) {
					firstGroupInside.countDown();
					releaseFirstGroup.await(30, TimeUnit.SECONDS);
				}
			}
			return invocation.proceed();
		};
		((Advised) repository).addAdvice(0, gate);
	}

	private void awaitWaiting(int grants) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (groupCommit.waiting() < grants && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(groupCommit.waiting()).as("grants queued behind the first").isEqualTo(grants);
	}

	private DistributionSummary grouped() {
		return registry.get("gatehouse.oauth.token.group.commit.grants").summary();
	}

	private long count(String sql) {
		return jdbc.sql(sql).param("client", client.client().id()).query(Long.class).single();
	}

	private long liveTokensOfGrantOf(String refreshToken) {
		return jdbc.sql("""
				select count(*) from oauth_token t
				where t.invalidated_at is null and t.authorization_id =
				    (select authorization_id from oauth_token where token_hash = :hash)
				""").param("hash", TokenHashes.of(refreshToken)).query(Long.class).single();
	}

	private JsonNode passwordGrant() throws Exception {
		MockHttpServletResponse response = mvc.perform(post("/oauth/token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(passwordClient.client().id(), passwordClient.secret()))
			.param("grant_type", "password").param("username", user.username())
			.param("password", TestAccounts.PASSWORD)).andReturn().getResponse();
		assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
		return json.readTree(response.getContentAsString());
	}

	private MockHttpServletResponse refresh(String refreshToken) throws Exception {
		return mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(passwordClient.client().id(), passwordClient.secret()))
			.param("grant_type", "refresh_token").param("refresh_token", refreshToken)).andReturn().getResponse();
	}

	private MockHttpServletResponse clientCredentials() throws Exception {
		return mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), client.secret()))
			.param("grant_type", "client_credentials")).andReturn().getResponse();
	}

	private String accessToken(MockHttpServletResponse answer) throws Exception {
		assertThat(answer.getStatus()).as(answer.getContentAsString()).isEqualTo(200);
		return json.readTree(answer.getContentAsString()).get("access_token").asString();
	}

	private boolean introspect(String token) throws Exception {
		return introspect(token, client);
	}

	private boolean introspect(String token, IssuedSecret by) throws Exception {
		MockHttpServletResponse answer = mvc.perform(post("/oauth/introspect")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(by.client().id(), by.secret()))
			.param("token", token)).andReturn().getResponse();
		return answer.getStatus() == 200 && json.readTree(answer.getContentAsString()).get("active").asBoolean();
	}

}
