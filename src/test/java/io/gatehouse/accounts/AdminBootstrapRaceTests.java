package io.gatehouse.accounts;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Two nodes started at once on an empty database both find no account and both create the first super admin: the
 * second insert meets the first one's row. That node must start all the same (the admin exists, which is all that
 * was asked). The interleaving is forced: the other node's admin is committed between this node's check and its
 * insert. Run on H2 and PostgreSQL (where the failed insert aborts the transaction) by the subclasses.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
abstract class AdminBootstrapRaceTests {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Test
	void runWhenAnotherNodeCreatesTheAdminBetweenCheckAndInsertThenStartsWithOneAdmin() {
		JdbcUserRepository otherNode = new JdbcUserRepository(jdbc);
		JdbcUserRepository thisNode = new JdbcUserRepository(jdbc) {
			@Override
			boolean anyAccountExists() {
				boolean exists = super.anyAccountExists();
				// the other node's start-up commits its admin now, in a transaction of its own
				new TransactionTemplate(transactionManager, new org.springframework.transaction.support
					.DefaultTransactionDefinition(org.springframework.transaction.TransactionDefinition
						.PROPAGATION_REQUIRES_NEW))
					.executeWithoutResult(status -> otherNode.insert("admin", "Admin", "", "", true, true, "x"));
				return exists;
			}
		};
		AdminBootstrap bootstrap = new AdminBootstrap(thisNode,
				PasswordEncoderFactories.createDelegatingPasswordEncoder(), new TransactionTemplate(transactionManager),
				new GenericApplicationContext(), "admin", "an admin password");

		assertThatNoException().isThrownBy(() -> {
			bootstrap.afterSingletonsInstantiated();
			bootstrap.run(new DefaultApplicationArguments());
		});

		List<String> admins = jdbc.sql("select username from account where super_admin = true")
			.query(String.class)
			.list();
		assertThat(admins).containsExactly("admin");
	}

}
