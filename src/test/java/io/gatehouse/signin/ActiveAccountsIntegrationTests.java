package io.gatehouse.signin;

import java.util.List;

import io.gatehouse.accounts.User;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.Topics;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.StatementCounter;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The per-account cache of who is active and what they may do: a request of a known account reads none of the
 * accounts tables, and a change of the account or of any group is seen on the next request once its signal arrives
 * (at once on the changing node, after the commit).
 */
@GatehouseIntegrationTest
class ActiveAccountsIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ChangeSignals signals;

	@Test
	void requestWhenAccountReadBeforeThenNoReadOfTheAccountsTables() throws Exception {
		User viewer = TestAccounts.user().permissionsThroughGroup(Permissions.VIEW_AUTH_CLIENTS).create(jdbc);
		clients(viewer).andExpect(status().isOk());
		List<String> statements = StatementCounter.statementsOf(() -> clients(viewer).andExpect(status().isOk()));
		assertThat(statements).noneMatch(sql -> sql.contains("account_permission") || sql.contains("group_member")
				|| sql.contains("group_permission"));
	}

	@Test
	void requestWhenGroupLostThePermissionThenForbiddenOnceItsSignalArrives() throws Exception {
		User viewer = TestAccounts.user().permissionsThroughGroup(Permissions.VIEW_AUTH_CLIENTS).create(jdbc);
		clients(viewer).andExpect(status().isOk());
		long group = jdbc.sql("select group_id from group_member where account_id = :id").param("id", viewer.id())
			.query(Long.class).single();
		jdbc.sql("delete from group_member where account_id = :id").param("id", viewer.id()).update();
		signals.publish(Topics.GROUP, Long.toString(group));
		clients(viewer).andExpect(status().isForbidden());
	}

	@Test
	void requestWhenAccountDeactivatedThenSignedOutOnceItsSignalArrives() throws Exception {
		User viewer = TestAccounts.user().permissions(Permissions.VIEW_AUTH_CLIENTS).create(jdbc);
		clients(viewer).andExpect(status().isOk());
		jdbc.sql("update account set active = false where id = :id").param("id", viewer.id()).update();
		signals.publish(Topics.ACCOUNT, Long.toString(viewer.id()));
		clients(viewer).andExpect(status().is4xxClientError());
	}

	private ResultActions clients(User user) throws Exception {
		return mvc.perform(get("/api/1.0/auth-clients").with(TestAccounts.as(user)));
	}

}
