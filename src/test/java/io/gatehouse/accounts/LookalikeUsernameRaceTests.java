package io.gatehouse.accounts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.gatehouse.support.TestAccounts;
import io.gatehouse.api.ValidationException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;

/**
 * Two administrators create look-alike usernames ("paypal" and "paypa1") at the same moment. The repository is made
 * to hold each request right after its look-alike check until both have checked, so both checks find nothing and
 * both inserts race: the unique index on the skeleton must refuse the second, which gets the same 422 as a check.
 * Run on H2 and PostgreSQL by the subclasses.
 */
@SpringBootTest
abstract class LookalikeUsernameRaceTests {

	@Autowired
	AccountService accounts;

	@Autowired
	JdbcClient jdbc;

	@MockitoSpyBean
	JdbcUserRepository users;

	@Test
	void createWhenTwoLookalikesAtOnceThenOneCreatedAndTheOther422() throws Exception {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		CyclicBarrier bothChecked = new CyclicBarrier(2);
		doAnswer(invocation -> {
			Object taken = invocation.callRealMethod();
			bothChecked.await(10, TimeUnit.SECONDS);
			return taken;
		}).when(users).skeletonTaken(anyString(), any());
		List<User> created = Collections.synchronizedList(new ArrayList<>());
		List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());

		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			List<Future<?>> runs = new ArrayList<>();
			for (String username : List.of("paypal-race", "paypa1-race")) {
				runs.add(pool.submit(() -> TestAccounts.runAs(admin, () -> {
					try {
						created.add(accounts.createUser(
								new UserInput(username, null, null, null, null, null, "secret-password", null)));
					}
					catch (RuntimeException ex) {
						failures.add(ex);
					}
				})));
			}
			for (Future<?> run : runs) {
				run.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}

		assertThat(created).hasSize(1);
		assertThat(failures).singleElement()
			.isInstanceOfSatisfying(ValidationException.class, ex -> assertThat(ex.errors().get("username"))
				.containsExactly("The Username is too similar to an existing username."));
		assertThat(jdbc.sql("select count(*) from account where username in ('paypal-race', 'paypa1-race')")
			.query(Long.class).single()).isOne();
	}

}
