package io.gatehouse.oauth;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.support.AtOnce;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static io.gatehouse.support.OAuthRequests.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/** The per-address limit on failed client authentication at the OAuth endpoints (burst 5, then 1 a second). */
@GatehouseIntegrationTest
@TestPropertySource(properties = { "gatehouse.rate-limit.per-address=1", "gatehouse.rate-limit.per-address-burst=5" })
class AddressRateLimitIntegrationTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	AuthClientService clients;

	@Autowired
	MeterRegistry registry;

	IssuedSecret client;

	String address;

	@BeforeEach
	void setUp() {
		client = clients.create(new AuthClientDraft("Limited " + UUID.randomUUID(),
				Set.of(GrantType.CLIENT_CREDENTIALS), List.of()));
		// an address of its own per test: buckets outlive a test
		address = "198.51.100." + (1 + Math.floorMod(UUID.randomUUID().hashCode(), 250));
	}

	@Test
	void tokenWhenFailuresBeyondBurstThen429WithRetryAfterAndOAuthJsonAndCounted() throws Exception {
		double before = limitedCount();
		long start = System.nanoTime();

		Limited limited = failUntilLimited();

		assertThat(limited.through()).as("failures before the first 429").isBetween(5, 5 + refilledSince(start));
		assertThat(limited.answer().getStatus()).isEqualTo(429);
		assertThat(Long.parseLong(limited.answer().getHeader("Retry-After"))).isBetween(1L, 2L);
		assertThat(limited.answer().getContentType()).startsWith(MediaType.APPLICATION_JSON_VALUE);
		assertThat(limited.answer().getContentAsString()).contains("\"error\":\"temporarily_unavailable\"");
		assertThat(token(address, client.secret()).getStatus()).as("the address, whatever it sends").isEqualTo(429);
		assertThat(token("192.0.2.200", client.secret()).getStatus()).as("another address").isEqualTo(200);
		assertThat(limitedCount() - before).isEqualTo(2);
	}

	@Test
	void tokenWhenClientAuthenticatesThenNotCountedAgainstItsAddress() throws Exception {
		long start = System.nanoTime();
		assertThat(token(address, "gtcs_wrong").getStatus()).isEqualTo(401);
		for (int i = 0; i < 10; i++) {
			assertThat(token(address, client.secret()).getStatus()).isEqualTo(200);
		}

		// had the ten successes counted, the bucket of five would be empty and only its refill would get through
		assertThat(failUntilLimited().through()).as("failures left after ten successes")
			.isBetween(4, 4 + refilledSince(start));
	}

	@Test
	void tokenWhenTwentyFailuresAtOnceThenOnlyTheBucketsWorthGetThrough() throws Exception {
		long start = System.nanoTime();
		assertThat(token(address, "gtcs_wrong").getStatus()).isEqualTo(401);
		List<Integer> statuses = AtOnce.run(20, () -> token(address, "gtcs_wrong").getStatus());
		// four tokens were left, and the refill (one a second) while the twenty ran
		long through = statuses.stream().filter(status -> status == 401).count();
		assertThat(through).as("%s", statuses).isBetween(4L, 4L + refilledSince(start));
		assertThat(statuses.stream().filter(status -> status == 429).count()).isEqualTo(20 - through);
	}

	/** Sends wrong secrets from the test's address until one is refused with 429 (at most 50). */
	private Limited failUntilLimited() throws Exception {
		for (int through = 0; through < 50; through++) {
			MockHttpServletResponse answer = token(address, "gtcs_wrong");
			if (answer.getStatus() != 401) {
				return new Limited(through, answer);
			}
		}
		throw new AssertionError("50 failed authentications from one address and none was limited");
	}

	/**
	 * The most tokens the bucket (one a second) can have refilled since {@code start}: on a busy machine the
	 * requests of a test may take seconds, and each second buys one more failure.
	 */
	private static int refilledSince(long start) {
		return (int) Math.ceil((System.nanoTime() - start) / 1e9);
	}

	private record Limited(int through, MockHttpServletResponse answer) {
	}

	private double limitedCount() {
		return registry.get("gatehouse.rate_limited").tag("kind", "address").counter().count();
	}

	private MockHttpServletResponse token(String from, String secret) throws Exception {
		return mvc.perform(post("/oauth/token").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.AUTHORIZATION, basic(client.client().id(), secret))
			.param("grant_type", "client_credentials")
			.with(request -> {
				request.setRemoteAddr(from);
				return request;
			})).andReturn().getResponse();
	}

}
