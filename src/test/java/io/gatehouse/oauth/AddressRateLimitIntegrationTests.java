package io.gatehouse.oauth;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.GrantType;
import io.gatehouse.clients.IssuedSecret;
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
		for (int i = 0; i < 5; i++) {
			assertThat(token(address, "gtcs_wrong").getStatus()).isEqualTo(401);
		}

		MockHttpServletResponse limited = token(address, "gtcs_wrong");

		assertThat(limited.getStatus()).isEqualTo(429);
		assertThat(Long.parseLong(limited.getHeader("Retry-After"))).isBetween(1L, 2L);
		assertThat(limited.getContentType()).startsWith(MediaType.APPLICATION_JSON_VALUE);
		assertThat(limited.getContentAsString()).contains("\"error\":\"temporarily_unavailable\"");
		assertThat(token(address, client.secret()).getStatus()).as("the address, whatever it sends").isEqualTo(429);
		assertThat(token("192.0.2.200", client.secret()).getStatus()).as("another address").isEqualTo(200);
		assertThat(limitedCount() - before).isEqualTo(2);
	}

	@Test
	void tokenWhenClientAuthenticatesThenNotCountedAgainstItsAddress() throws Exception {
		assertThat(token(address, "gtcs_wrong").getStatus()).isEqualTo(401);
		for (int i = 0; i < 10; i++) {
			assertThat(token(address, client.secret()).getStatus()).isEqualTo(200);
		}
		for (int i = 0; i < 4; i++) {
			assertThat(token(address, "gtcs_wrong").getStatus()).isEqualTo(401);
		}
		assertThat(token(address, "gtcs_wrong").getStatus()).isEqualTo(429);
	}

	@Test
	void tokenWhenTwentyFailuresAtOnceThenOnlyTheBucketsWorthGetThrough() throws Exception {
		assertThat(token(address, "gtcs_wrong").getStatus()).isEqualTo(401);
		CountDownLatch go = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(20);
		List<Integer> statuses = new ArrayList<>();
		try {
			List<Future<Integer>> running = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				running.add(threads.submit((Callable<Integer>) () -> {
					go.await();
					return token(address, "gtcs_wrong").getStatus();
				}));
			}
			go.countDown();
			for (Future<Integer> each : running) {
				statuses.add(each.get(60, TimeUnit.SECONDS));
			}
		}
		finally {
			threads.shutdownNow();
		}
		// four tokens were left, and at most a few more refilled (one a second) while the twenty ran
		long through = statuses.stream().filter(status -> status == 401).count();
		assertThat(through).as("%s", statuses).isBetween(4L, 6L);
		assertThat(statuses.stream().filter(status -> status == 429).count()).isEqualTo(20 - through);
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
