package io.gatehouse.signin;

import java.util.UUID;

import io.gatehouse.accounts.User;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

@GatehouseIntegrationTest
class ThrottledSignInIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Test
	void loginWhenRightPasswordThenSignedIn() throws Exception {
		User user = TestAccounts.user().username("in-" + UUID.randomUUID()).password("right password").create(jdbc);
		assertThat(login(user.username(), "right password")).isEqualTo("/");
	}

	@Test
	void loginWhenRepeatedWrongPasswordsThenEvenTheRightOneIsHeldBack() throws Exception {
		User user = TestAccounts.user().username("guessed-" + UUID.randomUUID()).password("right password")
			.create(jdbc);
		for (int i = 0; i <= LoginThrottle.FREE_FAILURES; i++) {
			assertThat(login(user.username(), "guess " + i)).isEqualTo("/login?error");
		}
		assertThat(login(user.username(), "right password")).isEqualTo("/login?error");
		User other = TestAccounts.user().username("other-" + UUID.randomUUID()).password("right password").create(jdbc);
		assertThat(login(other.username(), "right password")).as("other usernames are not held back").isEqualTo("/");
	}

	private String login(String username, String password) throws Exception {
		String location = mvc.perform(post("/login").with(csrf()).param("username", username).param("password",
				password))
			.andReturn().getResponse().getRedirectedUrl();
		return location == null ? "" : location.replaceFirst("^https?://[^/]+", "");
	}

}
