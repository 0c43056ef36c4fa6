package io.gatehouse.signin;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.gatehouse.support.MutableClock;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The login throttle as several nodes share it: two throttles, each with a connection pool of its own, on one
 * database. Run on H2 and PostgreSQL by the subclasses. Nothing here runs in a test transaction: the concurrent
 * threads must see each other's commits, as nodes do.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
abstract class LoginThrottleTests {

	private static final int PARALLEL = 20;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Environment environment;

	private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));

	private final List<String> statements = new CopyOnWriteArrayList<>();

	private HikariDataSource otherNodePool;

	private LoginThrottle nodeA;

	private LoginThrottle nodeB;

	private final String username = "guessed-" + UUID.randomUUID();

	@BeforeEach
	void twoNodes() {
		nodeA = new LoginThrottle(new JdbcLoginThrottleRepository(JdbcClient.create(recording(dataSource))), clock);
		otherNodePool = new HikariDataSource();
		otherNodePool.setJdbcUrl(environment.getRequiredProperty("spring.datasource.url"));
		otherNodePool.setUsername(environment.getRequiredProperty("spring.datasource.username"));
		otherNodePool.setPassword(environment.getProperty("spring.datasource.password", ""));
		otherNodePool.setMaximumPoolSize(PARALLEL);
		nodeB = new LoginThrottle(new JdbcLoginThrottleRepository(JdbcClient.create(otherNodePool)), clock);
	}

	@AfterEach
	void closeOtherNode() {
		otherNodePool.close();
	}

	@Test
	void failedWhenTwentyWrongPasswordsAtOnceOnTwoNodesThenTwentyCounted() throws Exception {
		CyclicBarrier together = new CyclicBarrier(PARALLEL);
		ExecutorService threads = Executors.newFixedThreadPool(PARALLEL);
		try {
			List<Future<?>> attempts = new ArrayList<>();
			for (int i = 0; i < PARALLEL; i++) {
				LoginThrottle node = i % 2 == 0 ? nodeA : nodeB;
				attempts.add(threads.submit(() -> {
					LoginThrottle.Attempt attempt = node.attempt(username);
					together.await(10, TimeUnit.SECONDS);
					attempt.failed();
					return null;
				}));
			}
			for (Future<?> attempt : attempts) {
				attempt.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}

		assertThat(countedFailures(username)).isEqualTo(PARALLEL);
		assertThat(nodeA.attempt(username).throttled()).isTrue();
		assertThat(nodeB.attempt(username).throttled()).isTrue();
	}

	@Test
	void attemptWhenFailuresSplitOverTwoNodesThenBothHoldTheUsernameBack() {
		for (int i = 0; i < 3; i++) {
			nodeA.attempt(username).failed();
			nodeB.attempt(username).failed();
		}

		assertThat(nodeA.attempt(username).throttled()).as("node A, after 6 failures on two nodes").isTrue();
		assertThat(nodeB.attempt(username).throttled()).as("node B, after 6 failures on two nodes").isTrue();
		assertThat(nodeA.attempt("other-" + username).throttled()).as("another username").isFalse();
	}

	@Test
	void attemptWhenMoreThanFiveFailuresThenWaitsDoubleEachTimeUpToFifteenMinutes() {
		for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
			nodeA.attempt(username).failed();
		}
		assertThat(nodeB.attempt(username).throttled()).as("five failures are free").isFalse();

		for (long expectedSeconds : new long[] { 1, 2, 4, 8 }) {
			nodeA.attempt(username).failed();
			clock.advance(Duration.ofSeconds(expectedSeconds).minusMillis(1));
			assertThat(nodeB.attempt(username).throttled()).as("held back for %d s", expectedSeconds).isTrue();
			clock.advance(Duration.ofMillis(1));
			assertThat(nodeB.attempt(username).throttled()).as("free after %d s", expectedSeconds).isFalse();
		}

		for (int i = 0; i < 20; i++) {
			nodeA.attempt(username).failed();
		}
		clock.advance(Duration.ofMinutes(15).minusMillis(1));
		assertThat(nodeB.attempt(username).throttled()).as("at most 15 minutes, still held").isTrue();
		clock.advance(Duration.ofMillis(1));
		assertThat(nodeB.attempt(username).throttled()).as("at most 15 minutes").isFalse();
	}

	@Test
	void failedWhenLastFailureOlderThanTheWindowThenCountStartsAgain() {
		for (int i = 0; i < 8; i++) {
			nodeA.attempt(username).failed();
		}
		clock.advance(LoginThrottle.WINDOW.plusSeconds(1));

		nodeB.attempt(username).failed();

		assertThat(countedFailures(username)).isEqualTo(1);
		assertThat(nodeA.attempt(username).throttled()).isFalse();
	}

	@Test
	void attemptWhenUsernameDiffersInCaseOrSpacesThenCountedTogether() {
		for (int i = 0; i < 3; i++) {
			nodeA.attempt(username.toUpperCase()).failed();
			nodeB.attempt("  " + username + " ").failed();
		}

		assertThat(nodeA.attempt(username).throttled()).isTrue();
	}

	@Test
	void succeededWhenFailuresCountedThenForgottenOnEveryNode() {
		for (int i = 0; i < 4; i++) {
			nodeA.attempt(username).failed();
		}

		nodeB.attempt(username).succeeded();

		assertThat(countedFailures(username)).isZero();
		for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
			nodeA.attempt(username).failed();
		}
		assertThat(nodeA.attempt(username).throttled()).as("five free failures again").isFalse();
	}

	@Test
	void succeededWhenNoFailuresThenOneReadAndNoWrite() {
		statements.clear();

		LoginThrottle.Attempt attempt = nodeA.attempt(username);
		assertThat(attempt.throttled()).isFalse();
		attempt.succeeded();

		assertThat(statements).hasSize(1);
		assertThat(statements.get(0).strip()).startsWith("select");
	}

	@Test
	void failedWhenCountedThenTheUsernameIsNotStored() {
		nodeA.attempt(username).failed();

		List<String> stored = jdbc.sql("select username_hash from login_throttle").query(String.class).list();
		assertThat(stored).noneMatch(value -> value.contains(username)).contains(JdbcLoginThrottleRepository.key(
				username));
	}

	@Test
	void failedWhenUsernameIsTenThousandCharactersThenCountedWithoutError() {
		String huge = "x".repeat(10_000) + UUID.randomUUID();
		for (int i = 0; i < 6; i++) {
			nodeA.attempt(huge).failed();
		}

		assertThat(nodeB.attempt(huge).throttled()).isTrue();
	}

	@Test
	void forgetExpiredWhenWindowOverThenOnlyThoseRowsGo() {
		String old = "old-" + username;
		nodeA.attempt(old).failed();
		clock.advance(LoginThrottle.WINDOW.plusSeconds(1));
		nodeA.attempt(username).failed();

		nodeB.forgetExpired();

		assertThat(countedFailures(old)).isZero();
		assertThat(countedFailures(username)).isEqualTo(1);
	}

	private int countedFailures(String name) {
		return jdbc.sql("select failures from login_throttle where username_hash = :key")
			.param("key", JdbcLoginThrottleRepository.key(name))
			.query(Integer.class)
			.optional()
			.orElse(0);
	}

	/** The data source, recording the SQL of every statement prepared on it. */
	private DataSource recording(DataSource target) {
		return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { DataSource.class },
				(proxy, method, args) -> {
					Object result = invoke(method, target, args);
					return result instanceof Connection connection ? recording(connection) : result;
				});
	}

	private Connection recording(Connection target) {
		return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
				(proxy, method, args) -> {
					if (method.getName().startsWith("prepare") && args != null && args[0] instanceof String sql) {
						statements.add(sql);
					}
					return invoke(method, target, args);
				});
	}

	private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

}
