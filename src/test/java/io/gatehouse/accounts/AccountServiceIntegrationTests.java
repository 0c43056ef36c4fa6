package io.gatehouse.accounts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import io.gatehouse.api.ForbiddenException;
import io.gatehouse.api.ValidationException;
import io.gatehouse.audit.AuditLog;
import io.gatehouse.audit.AuditRecord;
import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.FieldChange;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.signin.AccountLookup;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:account-service;MODE=PostgreSQL;"
		+ "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH")
class AccountServiceIntegrationTests {

	@Autowired
	AccountService accounts;

	@Autowired
	ChangeSignals signals;

	@Autowired
	GroupService groups;

	@Autowired
	AuditLog auditLog;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AccountLookup signIns;

	@Autowired
	JdbcGroupRepository groupRepository;

	@Autowired
	JdbcPermissionRepository permissions;

	@Autowired
	Actors actors;

	@Autowired
	Grants grants;

	@Autowired
	PasswordEncoder passwordEncoder;

	@Autowired
	AuditTrail audit;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	ServiceAccounts serviceAccounts;

	@BeforeEach
	void noOtherSuperAdmins() {
		// the first-start admin and earlier tests' admins would otherwise count as "another" super admin
		jdbc.sql("update account set super_admin = false").update();
	}

	private long activeSuperAdmins() {
		return jdbc.sql("select count(*) from account where super_admin = true and active = true")
			.query(Long.class).single();
	}

	@Test
	void demoteWhenLastActiveSuperAdminThenFieldErrorAndStillSuperAdmin() {
		User only = TestAccounts.user().superAdmin().create(jdbc);
		TestAccounts.runAs(only, () -> assertThatThrownBy(() -> accounts.updateUser(only.id(), null,
				new UserInput(null, null, null, null, null, false, null, null)))
			.isInstanceOfSatisfying(ValidationException.class, ex -> assertThat(ex.errors().get("super_admin"))
				.containsExactly("The last active super admin cannot be demoted.")));
		assertThat(TestAccounts.find(jdbc, only.username()).superAdmin()).isTrue();
	}

	@Test
	void deactivateWhenLastActiveSuperAdminThenFieldError() {
		User only = TestAccounts.user().superAdmin().create(jdbc);
		TestAccounts.runAs(only, () -> assertThatThrownBy(() -> accounts.updateUser(only.id(), null,
				new UserInput(null, null, null, null, false, null, null, null)))
			.isInstanceOfSatisfying(ValidationException.class, ex -> assertThat(ex.errors().get("active"))
				.containsExactly("The last active super admin cannot be deactivated.")));
		assertThat(TestAccounts.find(jdbc, only.username()).active()).isTrue();
	}

	@Test
	void demoteWhenAnotherActiveSuperAdminExistsThenDemoted() {
		User first = TestAccounts.user().superAdmin().create(jdbc);
		User second = TestAccounts.user().superAdmin().create(jdbc);
		TestAccounts.runAs(first, () -> accounts.updateUser(second.id(), null,
				new UserInput(null, null, null, null, null, false, null, null)));
		assertThat(TestAccounts.find(jdbc, second.username()).superAdmin()).isFalse();
	}

	@Test
	void demoteWhenOtherSuperAdminIsInactiveThenStillRefused() {
		User only = TestAccounts.user().superAdmin().create(jdbc);
		TestAccounts.user().superAdmin().inactive().create(jdbc);
		TestAccounts.runAs(only, () -> assertThatThrownBy(() -> accounts.updateUser(only.id(), null,
				new UserInput(null, null, null, null, null, false, null, null)))
			.isInstanceOf(ValidationException.class));
	}

	@Test
	void demoteWhenTwoSuperAdminsDemoteEachOtherAtOnceThenOneRemains() throws Exception {
		User first = TestAccounts.user().superAdmin().create(jdbc);
		User second = TestAccounts.user().superAdmin().create(jdbc);
		AccountService colliding = collidingAccountService();
		List<Throwable> failures = eachAtOnce(first, second, (actor, target) -> inTransaction(() -> colliding
			.updateUser(target.id(), null, new UserInput(null, null, null, null, null, false, null, null))));
		assertThat(activeSuperAdmins()).isEqualTo(1);
		assertThat(failures).singleElement().isInstanceOf(ValidationException.class);
	}

	@Test
	void deleteWhenTwoSuperAdminsDeleteEachOtherAtOnceThenOneRemains() throws Exception {
		User first = TestAccounts.user().superAdmin().create(jdbc);
		User second = TestAccounts.user().superAdmin().create(jdbc);
		AccountService colliding = collidingAccountService();
		List<Throwable> failures = eachAtOnce(first, second,
				(actor, target) -> inTransaction(() -> colliding.deleteUser(target.id())));
		assertThat(activeSuperAdmins()).isEqualTo(1);
		assertThat(failures).singleElement().isInstanceOf(ForbiddenException.class);
	}

	/**
	 * The service over a repository that makes two callers collide, as {@code SigningKeysTests} does for key
	 * creation: both reach the super-admin lock together, and each, having read the super admins under the lock,
	 * waits briefly for the other to have read too. Without the row lock both read two super admins and both remove
	 * one; with it, the second waits at the lock until the first has committed, then reads one.
	 */
	private AccountService collidingAccountService() {
		CyclicBarrier atTheLock = new CyclicBarrier(2);
		CyclicBarrier bothRead = new CyclicBarrier(2);
		JdbcUserRepository colliding = new JdbcUserRepository(jdbc) {

			@Override
			List<Long> lockActiveSuperAdmins() {
				await(atTheLock, 10_000);
				List<Long> locked = super.lockActiveSuperAdmins();
				// shorter than H2's lock timeout, which the other caller is waiting out if the lock works
				await(bothRead, 300);
				return locked;
			}

		};
		return new AccountService(colliding, groupRepository, signIns, permissions, actors, grants,
				new UserFields(colliding), passwordEncoder, audit, serviceAccounts, signals);
	}

	private void inTransaction(Runnable action) {
		new TransactionTemplate(transactionManager).executeWithoutResult(status -> action.run());
	}

	private static void await(CyclicBarrier barrier, long millis) {
		try {
			barrier.await(millis, TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | BrokenBarrierException ex) {
			// the other caller is held at the lock (or already done): no collision to wait for
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Runs {@code action(first, second)} as first and {@code action(second, first)} as second, released together. */
	private static List<Throwable> eachAtOnce(User first, User second, BiConsumer<User, User> action)
			throws Exception {
		CyclicBarrier start = new CyclicBarrier(2);
		List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			List<Future<?>> runs = new ArrayList<>();
			for (User[] pair : new User[][] { { first, second }, { second, first } }) {
				runs.add(pool.submit(() -> TestAccounts.runAs(pair[0], () -> {
					try {
						start.await(5, TimeUnit.SECONDS);
						action.accept(pair[0], pair[1]);
					}
					catch (Exception ex) {
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
		return failures;
	}

	@Test
	void createWhenValidThenAuditedWithoutPasswordOrHash() {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		String password = "audit-secret-123";
		User[] made = new User[1];
		TestAccounts.runAs(admin, () -> {
			made[0] = accounts.createUser(new UserInput("audited", "Aud", "Ited", "a@example.com", null, null,
					password, Set.of("view-users")));
			accounts.updateUser(made[0].id(), null,
					new UserInput(null, "Audrey", null, null, null, null, "another-secret-456", null));
		});
		List<AuditRecord> history = auditLog.historyOf("user", Long.toString(made[0].id()), 10);
		assertThat(history).extracting(AuditRecord::action).containsExactly("updated", "created");
		assertThat(history.get(1).actorUsername()).isEqualTo(admin.username());
		assertThat(history.get(1).changes()).contains(new FieldChange("username", null, "audited"),
				new FieldChange("permissions", null, "view-users"), new FieldChange("password", null, "(set)"));
		assertThat(history.get(0).changes()).contains(new FieldChange("firstname", "Aud", "Audrey"),
				new FieldChange("password", null, "(changed)"));
		String stored = String.join("\n", jdbc.sql("select changes from audit_record").query(String.class).list());
		assertThat(stored).doesNotContain(password, "another-secret-456", "{bcrypt}", "$2a$");
	}

	@Test
	void groupChangesWhenMadeThenAuditedAsGroup() {
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		User member = TestAccounts.user().create(jdbc);
		Group[] made = new Group[1];
		TestAccounts.runAs(admin, () -> {
			made[0] = groups.createGroup(new GroupInput("Audited Group", "", Set.of("view-groups")));
			groups.setMembers(made[0].id(), List.of(member.id()));
			groups.deleteGroup(made[0].id());
		});
		List<AuditRecord> history = auditLog.historyOf("group", Long.toString(made[0].id()), 10);
		assertThat(history).extracting(AuditRecord::action).containsExactly("deleted", "members_changed", "created");
		assertThat(history.get(1).changes()).containsExactly(new FieldChange("members", "", member.username()));
	}

	@Test
	void createWhenNobodySignedInThenRefused() {
		assertThatThrownBy(() -> accounts.createUser(new UserInput("ghost", null, null, null, null, null,
				"ghost-password", null))).isInstanceOf(ForbiddenException.class);
		assertThat(jdbc.sql("select count(*) from account where username_key = 'ghost'").query(Long.class).single())
			.isZero();
	}

	@Test
	void updateWhenRemovedFromGroupThenPermissionsGoneAtOnce() {
		Group group = TestGroups.group().permissions("view-users").create(jdbc);
		User member = TestAccounts.user().inGroup(group.id()).create(jdbc);
		assertThat(accounts.grantedPermissionsOf(member.id())).containsExactly("view-users");
		User admin = TestAccounts.user().superAdmin().create(jdbc);
		TestAccounts.runAs(admin, () -> groups.removeMember(group.id(), member.id()));
		assertThat(accounts.grantedPermissionsOf(member.id())).isEmpty();
	}

}
