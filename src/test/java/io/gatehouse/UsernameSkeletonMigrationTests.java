package io.gatehouse;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import io.gatehouse.accounts.Usernames;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Upgrading a database that already has accounts: the migrations up to 13 (which adds the empty skeleton column) run
 * when the context starts, the test writes accounts as they were, then the rest runs, 13.1 filling the column in.
 * Run on H2 and PostgreSQL by the subclasses.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@TestPropertySource(properties = "spring.flyway.target=13")
// the accounts must be committed for the migration, on its own connection, to see them
@Transactional(propagation = Propagation.NOT_SUPPORTED)
abstract class UsernameSkeletonMigrationTests {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Test
	void migrateWhenAccountsExistThenSkeletonsFilledInAndYoungerLookalikesLeftWithout() {
		insert("admin");
		insert("Ilona");
		insert("llona");
		insert("\u0430dmin");
		insert("ada@example.com");

		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();

		assertThat(skeletonOf("admin")).isEqualTo(Usernames.skeleton("admin"));
		assertThat(skeletonOf("Ilona")).isEqualTo(Usernames.skeleton("Ilona"));
		assertThat(skeletonOf("ada@example.com")).isEqualTo(Usernames.skeleton("ada@example.com"));
		// younger accounts whose usernames look like an older one: kept, without a skeleton
		assertThat(skeletonOf("llona")).isNull();
		assertThat(skeletonOf("\u0430dmin")).isNull();
		assertThatThrownBy(() -> jdbc.sql("update account set username_skeleton = :skeleton where username = 'llona'")
			.param("skeleton", Usernames.skeleton("llona"))
			.update()).isInstanceOf(DuplicateKeyException.class);
	}

	private void insert(String username) {
		OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
		jdbc.sql("""
				insert into account (username, username_key, firstname, lastname, email, password_hash, active,
				                     super_admin, version, created_at, updated_at)
				values (:username, lower(:username), '', '', '', '{noop}x', true, false, 1, :now, :now)
				""").param("username", username).param("now", now).update();
	}

	private @org.jspecify.annotations.Nullable String skeletonOf(String username) {
		return jdbc.sql("select username_skeleton from account where username = :username")
			.param("username", username)
			.query((rs, row) -> java.util.Optional.ofNullable(rs.getString(1)))
			.single()
			.orElse(null);
	}

}
