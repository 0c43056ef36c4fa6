package io.gatehouse.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The management port as an operator meets it: health groups for the orchestrator, info, Prometheus metrics that
 * move with the traffic, and the request id. Real HTTP on both ports, in a context of its own whose database can be
 * switched off.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {
		"spring.datasource.url=jdbc:h2:mem:gatehouse-operations;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
				+ "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
		"management.server.port=0", "gatehouse.admin.username=ops-admin",
		"gatehouse.admin.password=ops-test-password" })
@Import(OperationsEndpointsTests.SwitchableDatabase.class)
class OperationsEndpointsTests {

	private static final AtomicBoolean DATABASE_DOWN = new AtomicBoolean();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	AuthClientService clients;

	@BeforeEach
	void databaseUp() {
		DATABASE_DOWN.set(false);
	}

	@Test
	void readinessWhenDatabaseAndSigningKeyUpThenUpWithBoth() throws Exception {
		HttpResponse<String> readiness = management("/actuator/health/readiness");
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(readiness.body()).contains("\"db\"", "\"signingKey\"", "\"status\":\"UP\"");
		assertThat(management("/actuator/health/liveness").statusCode()).isEqualTo(200);
	}

	@Test
	void readinessWhenDatabaseDownThen503AndLivenessStaysUpThenRecovers() throws Exception {
		DATABASE_DOWN.set(true);
		HttpResponse<String> down = management("/actuator/health/readiness");
		assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
		assertThat(down.body()).contains("\"status\":\"DOWN\"");
		// liveness must not fail with the database, or the orchestrator restarts nodes that cannot help it
		assertThat(management("/actuator/health/liveness").statusCode()).isEqualTo(200);

		DATABASE_DOWN.set(false);
		assertThat(management("/actuator/health/readiness").statusCode()).isEqualTo(200);
	}

	/**
	 * A database outage (a restart, a failover) is the server's temporary trouble, not the client's fault and not a
	 * bug: 503 with Retry-After, in each endpoint's own error format, and the same requests succeed once it is back.
	 */
	@Test
	void requestsWhenDatabaseDownThen503WithRetryAfterThenServedAgain() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("Ops outage " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
		assertThat(token(client.client().id(), client.secret(), "client_credentials").statusCode()).isEqualTo(200);

		DATABASE_DOWN.set(true);
		HttpResponse<String> token = token(client.client().id(), client.secret(), "client_credentials");
		assertThat(token.statusCode()).as(token.body()).isEqualTo(503);
		assertThat(token.headers().firstValue("Retry-After")).hasValue("5");
		assertThat(token.body()).contains("\"error\":\"temporarily_unavailable\"").doesNotContain("Exception");
		DATABASE_DOWN.set(false);
		IssuedSecret passwordClient = clients.create(new AuthClientDraft("Ops outage admin " + UUID.randomUUID(),
				Set.of(GrantType.PASSWORD), List.of()));
		String basic = Base64.getEncoder().encodeToString((passwordClient.client().id() + ":"
				+ passwordClient.secret()).getBytes(StandardCharsets.UTF_8));
		Matcher jwt = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(post(port, "/oauth/token",
				"grant_type=password&username=ops-admin&password=ops-test-password", "Basic " + basic).body());
		assertThat(jwt.find()).isTrue();
		assertThat(api(jwt.group(1)).statusCode()).as("the admin's token, verified and cached").isEqualTo(200);

		DATABASE_DOWN.set(true);
		HttpResponse<String> list = api(jwt.group(1));
		assertThat(list.statusCode()).as(list.body()).isEqualTo(503);
		assertThat(list.headers().firstValue("Retry-After")).hasValue("5");
		assertThat(list.body()).contains("\"status\":503").doesNotContain("Exception");

		DATABASE_DOWN.set(false);
		assertThat(token(client.client().id(), client.secret(), "client_credentials").statusCode()).isEqualTo(200);
	}

	@Test
	void infoWhenCalledThenBuildVersion() throws Exception {
		HttpResponse<String> info = management("/actuator/info");
		assertThat(info.statusCode()).isEqualTo(200);
		assertThat(info.body()).contains("\"build\"", "\"version\"", "\"java\"");
	}

	@Test
	void actuatorWhenCalledOnTheMainPortThenNotServed() throws Exception {
		HttpResponse<String> response = get(port, "/actuator/health");
		assertThat(response.statusCode()).isNotEqualTo(200);
		assertThat(response.body()).doesNotContain("\"status\"");
		assertThat(get(port, "/actuator/prometheus").body()).doesNotContain("gatehouse_");
	}

	@Test
	void metricsWhenTokensIssuedAndRefusedThenCountersMove() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("Ops " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
		double issued = metric("gatehouse_oauth_tokens_issued_total{grant_type=\"client_credentials\"");
		double invalidClient = metric("gatehouse_oauth_token_errors_total{error=\"invalid_client\"");
		double unsupported = metric("gatehouse_oauth_token_errors_total{error=\"unsupported_grant_type\"");

		assertThat(token(client.client().id(), client.secret(), "client_credentials").statusCode()).isEqualTo(200);
		assertThat(token(client.client().id(), client.secret(), "client_credentials").statusCode()).isEqualTo(200);
		assertThat(token(client.client().id(), "wrong-secret", "client_credentials").statusCode()).isEqualTo(401);
		assertThat(token(client.client().id(), client.secret(), "made-up-" + UUID.randomUUID()).statusCode())
			.isEqualTo(400);

		assertThat(metric("gatehouse_oauth_tokens_issued_total{grant_type=\"client_credentials\"")).isEqualTo(issued
				+ 2);
		assertThat(metric("gatehouse_oauth_token_errors_total{error=\"invalid_client\"")).isEqualTo(invalidClient + 1);
		assertThat(metric("gatehouse_oauth_token_errors_total{error=\"unsupported_grant_type\""))
			.isEqualTo(unsupported + 1);
		String scrape = management("/actuator/prometheus").body();
		// a made-up grant type is counted as "other": clients cannot add series
		assertThat(scrape).doesNotContain("made-up-").contains("gatehouse_oauth_token_requests_seconds_bucket");
		assertThat(scrape).doesNotContain(client.secret()).doesNotContain(client.client().id());
	}

	@Test
	void metricsWhenTokenAndIntrospectionRequestsThenTimedByTheirOwnHistogramsOnly() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("Ops timing " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
		double posts = serverRequests("method=\"POST\"");
		double loginPages = serverRequests("uri=\"/login\"");
		double introspections = metric("gatehouse_oauth_introspection_requests_seconds_count");

		String body = token(client.client().id(), client.secret(), "client_credentials").body();
		Matcher accessToken = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(body);
		assertThat(accessToken.find()).as(body).isTrue();
		assertThat(post(port, "/oauth/introspect", "token=" + accessToken.group(1),
				"Basic " + Base64.getEncoder()
					.encodeToString((client.client().id() + ":" + client.secret()).getBytes(StandardCharsets.UTF_8)))
			.statusCode()).isEqualTo(200);
		assertThat(get(port, "/login").statusCode()).isEqualTo(200);

		// the token and introspection endpoints have histograms of their own, by grant type and outcome; Spring's
		// http.server.requests timed them a second time, at a share of each request's cost; other requests keep it
		assertThat(serverRequests("method=\"POST\"")).as("POSTs in http.server.requests").isEqualTo(posts);
		assertThat(serverRequests("uri=\"/login\"")).as("login pages in http.server.requests")
			.isEqualTo(loginPages + 1);
		assertThat(metric("gatehouse_oauth_introspection_requests_seconds_count")).isEqualTo(introspections + 1);
	}

	/** The requests counted by {@code http.server.requests} whose tags include {@code tag}. */
	private double serverRequests(String tag) throws Exception {
		return management("/actuator/prometheus").body().lines()
			.filter(line -> line.startsWith("http_server_requests_seconds_count{") && line.contains(tag))
			.mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum();
	}

	@Test
	void metricsWhenBearerTokensPresentedThenAcceptedAndRejectedCounted() throws Exception {
		IssuedSecret client = clients.create(new AuthClientDraft("Ops bearer " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
		String body = token(client.client().id(), client.secret(), "client_credentials").body();
		Matcher accessToken = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(body);
		assertThat(accessToken.find()).as(body).isTrue();
		String series = "gatehouse_api_bearer_authentications_total{kind=\"access_token\",result=";
		double accepted = metric(series + "\"accepted\"");
		double rejected = metric(series + "\"rejected\"");

		api(accessToken.group(1));
		assertThat(api("not-a-token").statusCode()).isEqualTo(401);

		assertThat(metric(series + "\"accepted\"")).isEqualTo(accepted + 1);
		assertThat(metric(series + "\"rejected\"")).isEqualTo(rejected + 1);
	}

	@Test
	void metricsWhenConsoleSignInFailsThenFailureCounted() throws Exception {
		double failures = metric("gatehouse_sign_ins_total{channel=\"console\",result=\"failure\"");
		HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
		String page = browser.send(HttpRequest.newBuilder(uri(port, "/login")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
		Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
		assertThat(csrf.find()).as(page).isTrue();
		HttpResponse<String> login = browser.send(HttpRequest.newBuilder(uri(port, "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=ops-admin&password=wrong-password&_csrf="
					+ URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(login.statusCode()).isEqualTo(302);
		assertThat(login.headers().firstValue("Location").orElseThrow()).contains("error");
		assertThat(metric("gatehouse_sign_ins_total{channel=\"console\",result=\"failure\"")).isEqualTo(failures + 1);
	}

	@Test
	void requestIdWhenNoneSentThenOneAnswered() throws Exception {
		HttpResponse<String> first = get(port, "/login");
		HttpResponse<String> second = get(port, "/login");
		String id = first.headers().firstValue("X-Request-Id").orElseThrow();
		assertThat(id).matches("[0-9a-f-]{36}");
		assertThat(second.headers().firstValue("X-Request-Id").orElseThrow()).isNotEqualTo(id);
	}

	@Test
	void requestIdWhenPlainIdSentThenKeptAndHostileOneReplaced() throws Exception {
		HttpResponse<String> kept = http.send(HttpRequest.newBuilder(uri(port, "/login"))
			.header("X-Request-Id", "proxy-42.abc_DEF").build(), HttpResponse.BodyHandlers.ofString());
		assertThat(kept.headers().firstValue("X-Request-Id")).hasValue("proxy-42.abc_DEF");

		HttpResponse<String> replaced = http.send(HttpRequest.newBuilder(uri(port, "/login"))
			.header("X-Request-Id", "fake\" level=ERROR msg=forged").build(), HttpResponse.BodyHandlers.ofString());
		assertThat(replaced.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f-]{36}");
	}

	private HttpResponse<String> token(String clientId, String secret, String grantType) throws Exception {
		String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
				+ URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
		return post(port, "/oauth/token", "grant_type=" + URLEncoder.encode(grantType, StandardCharsets.UTF_8),
				"Basic " + basic);
	}

	private HttpResponse<String> api(String bearer) throws Exception {
		return http.send(HttpRequest.newBuilder(uri(port, "/api/1.0/auth-clients"))
			.header("Authorization", "Bearer " + bearer).build(), HttpResponse.BodyHandlers.ofString());
	}

	private double metric(String seriesStart) throws Exception {
		for (String line : management("/actuator/prometheus").body().lines().toList()) {
			if (line.startsWith(seriesStart)) {
				return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
			}
		}
		return 0;
	}

	private HttpResponse<String> management(String path) throws Exception {
		return get(managementPort, path);
	}

	private HttpResponse<String> get(int onPort, String path) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(uri(onPort, path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(int onPort, String path, String form, String authorization)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(onPort, path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static URI uri(int onPort, String path) {
		return URI.create("http://127.0.0.1:" + onPort + path);
	}

	/** Wraps the application's DataSource so a test can make every new connection fail, as a dead database does. */
	@TestConfiguration(proxyBeanMethods = false)
	static class SwitchableDatabase {

		@Bean
		static BeanPostProcessor switchableDataSource() {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					return bean instanceof DataSource dataSource ? new Switchable(dataSource) : bean;
				}
			};
		}

	}

	private record Switchable(DataSource delegate) implements DataSource {

		@Override
		public Connection getConnection() throws SQLException {
			check();
			return delegate.getConnection();
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			check();
			return delegate.getConnection(username, password);
		}

		private static void check() throws SQLException {
			if (DATABASE_DOWN.get()) {
				throw new SQLTransientConnectionException("database switched off by the test");
			}
		}

		@Override
		public PrintWriter getLogWriter() throws SQLException {
			return delegate.getLogWriter();
		}

		@Override
		public void setLogWriter(PrintWriter out) throws SQLException {
			delegate.setLogWriter(out);
		}

		@Override
		public void setLoginTimeout(int seconds) throws SQLException {
			delegate.setLoginTimeout(seconds);
		}

		@Override
		public int getLoginTimeout() throws SQLException {
			return delegate.getLoginTimeout();
		}

		@Override
		public Logger getParentLogger() {
			return Logger.getLogger("switchable");
		}

		@Override
		public <T> T unwrap(Class<T> type) throws SQLException {
			return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
		}

		@Override
		public boolean isWrapperFor(Class<?> type) throws SQLException {
			return type.isInstance(this) || delegate.isWrapperFor(type);
		}

	}

}
