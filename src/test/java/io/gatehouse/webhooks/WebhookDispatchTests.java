package io.gatehouse.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.gatehouse.audit.AuditTrail;
import io.gatehouse.audit.FieldChange;
import io.gatehouse.support.MutableClock;
import io.gatehouse.support.SignalEchoes;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox and its dispatcher against a receiver on 127.0.0.1, on H2 and PostgreSQL (the subclasses): signed
 * deliveries, retries with backoff, order per client, nothing for a rolled-back change, one delivery per event with
 * two dispatchers at once. The scheduled poll is off (an hour); each test dispatches by hand, on a clock it moves.
 */
@SpringBootTest(properties = { "gatehouse.webhooks.poll-interval=1h", "gatehouse.outbound.allow-private=true",
		"gatehouse.admin.username=bootstrap-admin",
		"gatehouse.admin.password=bootstrap-password" })
@Import({ WebhookDispatchTests.Clocks.class, SignalEchoes.class })
abstract class WebhookDispatchTests {

	@TestConfiguration(proxyBeanMethods = false)
	static class Clocks {

		@Bean
		MutableClock clock() {
			return new MutableClock(Instant.now());
		}

	}

	@Autowired
	WebhookService webhooks;

	@Autowired
	WebhookDispatcher dispatcher;

	@Autowired
	WebhookMaintenance maintenance;

	@Autowired
	JdbcWebhookRepository repository;

	@Autowired
	AuditTrail trail;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Autowired
	MutableClock clock;

	@Autowired
	MeterRegistry meters;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	io.gatehouse.cluster.ChangeSignals signals;

	@Autowired
	SignalEchoes echoes;

	WebhookReceiver receiver;

	@BeforeEach
	void receiver() throws Exception {
		receiver = new WebhookReceiver();
		// endpoints of earlier tests must not take part
		jdbc.sql("delete from webhook_endpoint").update();
	}

	@AfterEach
	void close() {
		receiver.close();
	}

	private IssuedWebhookSecret register(String... types) {
		return webhooks.create(new WebhookDraft(receiver.url(), "test receiver", List.of(types), true));
	}

	/** An audited change of the client, committed in its own transaction. */
	private void changeClient(String clientId, String newName) {
		new TransactionTemplate(transactionManager).executeWithoutResult(status -> trail.recordAbout(clientId,
				"updated", "auth_client", clientId, newName, List.of(new FieldChange("name", "old", newName))));
	}

	private void dispatchAll() {
		while (dispatcher.dispatchDue() > 0) {
			// until nothing is due
		}
	}

	private List<Map<String, Object>> deliveries(long endpointId) {
		return jdbc.sql("select state, attempts, last_status, last_error from webhook_delivery where endpoint_id = :e "
				+ "order by id").param("e", endpointId).query().listOfRows();
	}

	private static String hmac(String secret, String message) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void dispatchWhenChangeCommittedThenReceiverGetsTheEventSignedOverIdTimestampAndBody() throws Exception {
		IssuedWebhookSecret issued = register("auth_client.updated");
		String client = "c-" + UUID.randomUUID();

		changeClient(client, "Billing");
		dispatchAll();

		assertThat(receiver.received()).singleElement().satisfies(request -> {
			String id = request.header("Gatehouse-Webhook-Id");
			String timestamp = request.header("Gatehouse-Webhook-Timestamp");
			assertThat(request.header("Gatehouse-Webhook-Signature"))
				.isEqualTo("v1=" + hmac(issued.secret(), id + "." + timestamp + "." + request.body()));
			assertThat(Long.parseLong(timestamp)).isCloseTo(clock.instant().getEpochSecond(),
					org.assertj.core.data.Offset.offset(5L));
			assertThat(request.header("Content-Type")).isEqualTo("application/json");
			JsonNode body = json.readTree(request.body());
			assertThat(body.get("id").asString()).isEqualTo(id);
			assertThat(body.get("type").asString()).isEqualTo("auth_client.updated");
			assertThat(body.get("occurred_at").asString()).isNotEmpty();
			assertThat(body.get("data").get("client_id").asString()).isEqualTo(client);
			assertThat(body.get("data").get("changes").get(0).get("to").asString()).isEqualTo("Billing");
			assertThat(request.body()).doesNotContain(issued.secret());
		});
		assertThat(deliveries(issued.endpoint().id())).singleElement()
			.satisfies(row -> assertThat(row).containsEntry("state", "delivered").containsEntry("last_status", 204));
	}

	@Test
	void dispatchWhenReceiverAnswers500Then200ThenBothAttemptsAreInTheHistoryWithTheStartOfTheAnswer() {
		IssuedWebhookSecret issued = register("auth_client.updated");
		// a chatty receiver: 5,000 bytes with a NUL and markup in them
		String answer = "<b>down</b>\u0000" + "x".repeat(5000);
		receiver.answer(500, answer.getBytes(StandardCharsets.UTF_8));

		changeClient("c-" + UUID.randomUUID(), "Billing");
		dispatchAll();
		clock.advance(Duration.ofSeconds(10));
		dispatchAll();

		long deliveryId = jdbc.sql("select id from webhook_delivery where endpoint_id = :e")
			.param("e", issued.endpoint().id())
			.query(Long.class)
			.single();
		List<WebhookAttempt> attempts = webhooks.attempts(issued.endpoint().id(), deliveryId);
		assertThat(attempts).hasSize(2);
		WebhookAttempt first = attempts.get(0);
		assertThat(first.attempt()).isEqualTo(1);
		assertThat(first.status()).isEqualTo(500);
		assertThat(first.error()).isEqualTo("http_500");
		assertThat(first.responseBody()).startsWith("<b>down</b>\uFFFDxxx").hasSize(1024).doesNotContain("\u0000");
		WebhookAttempt second = attempts.get(1);
		assertThat(second.attempt()).isEqualTo(2);
		assertThat(second.status()).isEqualTo(204);
		assertThat(second.error()).isNull();
		assertThat(second.responseBody()).isEmpty();
		assertThat(second.attemptedAt()).isAfterOrEqualTo(first.attemptedAt().plusSeconds(10));
		assertThat(String.join(" ", attempts.stream().map(WebhookAttempt::responseBody).toList()))
			.doesNotContain(issued.secret());
	}

	@Test
	void cleanUpWhenDeliveryFinishedLongerAgoThanTheRetentionThenItsAttemptsGoWithIt() {
		IssuedWebhookSecret issued = register("auth_client.updated");
		receiver.answer(500);
		changeClient("c-" + UUID.randomUUID(), "Billing");
		dispatchAll();
		clock.advance(Duration.ofSeconds(10));
		dispatchAll();
		assertThat(attemptsOf(issued.endpoint().id())).isEqualTo(2);

		clock.advance(Duration.ofDays(29));
		maintenance.cleanUp();
		assertThat(attemptsOf(issued.endpoint().id())).isEqualTo(2);

		clock.advance(Duration.ofDays(2));
		maintenance.cleanUp();
		assertThat(attemptsOf(issued.endpoint().id())).isZero();
	}

	private long attemptsOf(long endpointId) {
		return jdbc.sql("select count(*) from webhook_attempt a join webhook_delivery d on d.id = a.delivery_id "
				+ "where d.endpoint_id = :e").param("e", endpointId).query(Long.class).single();
	}

	@Test
	void dispatchWhenEndpointChangedOnAnotherNodeThenTheSignalDropsTheCachedUrl() throws Exception {
		IssuedWebhookSecret issued = register("auth_client.updated");
		// the registration's own signal, heard back late on PostgreSQL, would drop what the first delivery cached
		echoes.awaitEchoes();
		changeClient("c-" + UUID.randomUUID(), "First");
		dispatchAll();
		assertThat(receiver.received()).hasSize(1);
		try (WebhookReceiver moved = new WebhookReceiver()) {
			// another node changes the URL: the row changes under this node, whose cache still has the old one
			jdbc.sql("update webhook_endpoint set url = :url where id = :id")
				.param("url", moved.url())
				.param("id", issued.endpoint().id())
				.update();
			changeClient("c-" + UUID.randomUUID(), "Second");
			dispatchAll();
			assertThat(receiver.received()).as("cached: no read of the endpoint per delivery").hasSize(2);
			assertThat(moved.received()).isEmpty();

			// the other node's signal arrives
			signals.publish(io.gatehouse.cluster.Topics.WEBHOOK, Long.toString(issued.endpoint().id()));
			changeClient("c-" + UUID.randomUUID(), "Third");
			dispatchAll();

			assertThat(moved.received()).singleElement()
				.satisfies(request -> assertThat(request.body()).contains("Third"));
			assertThat(receiver.received()).hasSize(2);
		}
	}

	@Test
	void dispatchWhenSecretRegeneratedThenTheNextDeliveryIsSignedWithTheNewOne() throws Exception {
		IssuedWebhookSecret issued = register("auth_client.updated");
		changeClient("c-" + UUID.randomUUID(), "First");
		dispatchAll();

		IssuedWebhookSecret renewed = webhooks.regenerateSecret(issued.endpoint().id());
		changeClient("c-" + UUID.randomUUID(), "Second");
		dispatchAll();

		WebhookReceiver.Received request = receiver.received().get(1);
		assertThat(request.header("Gatehouse-Webhook-Signature")).isEqualTo("v1=" + hmac(renewed.secret(),
				request.header("Gatehouse-Webhook-Id") + "." + request.header("Gatehouse-Webhook-Timestamp") + "."
						+ request.body()));
	}

	@Test
	void dispatchWhenSignatureCheckedWithAnotherSecretThenItDoesNotMatch() throws Exception {
		register("auth_client.updated");

		changeClient("c-" + UUID.randomUUID(), "Billing");
		dispatchAll();

		WebhookReceiver.Received request = receiver.received().get(0);
		assertThat(request.header("Gatehouse-Webhook-Signature")).isNotEqualTo("v1=" + hmac("whsec_other",
				request.header("Gatehouse-Webhook-Id") + "." + request.header("Gatehouse-Webhook-Timestamp") + "."
						+ request.body()));
	}

	@Test
	void dispatchWhenReceiverAnswers500ThenRetriedAfterTheBackoffAndDelivered() {
		IssuedWebhookSecret issued = register("auth_client.updated");
		receiver.answer(500);

		changeClient("c-" + UUID.randomUUID(), "Billing");
		dispatchAll();

		assertThat(deliveries(issued.endpoint().id())).singleElement()
			.satisfies(row -> assertThat(row).containsEntry("state", "pending")
				.containsEntry("attempts", 1)
				.containsEntry("last_status", 500)
				.containsEntry("last_error", "http_500"));
		clock.advance(Duration.ofSeconds(9));
		assertThat(dispatcher.dispatchDue()).isZero();

		clock.advance(Duration.ofSeconds(1));
		dispatchAll();

		assertThat(receiver.received()).hasSize(2);
		assertThat(receiver.received().get(1).body()).isEqualTo(receiver.received().get(0).body());
		assertThat(receiver.received().get(1).header("Gatehouse-Webhook-Id"))
			.isEqualTo(receiver.received().get(0).header("Gatehouse-Webhook-Id"));
		assertThat(deliveries(issued.endpoint().id())).singleElement()
			.satisfies(row -> assertThat(row).containsEntry("state", "delivered").containsEntry("attempts", 2));
	}

	@Test
	void dispatchWhenReceiverFailsEveryAttemptThenFailedAfterAboutADay() {
		IssuedWebhookSecret issued = register("auth_client.updated");
		Integer[] failures = new Integer[WebhookDispatcher.MAX_ATTEMPTS + 1];
		java.util.Arrays.fill(failures, 503);
		receiver.answer(failures);
		Instant started = clock.instant();

		changeClient("c-" + UUID.randomUUID(), "Billing");
		for (int i = 0; i < WebhookDispatcher.MAX_ATTEMPTS + 2; i++) {
			dispatchAll();
			clock.advance(Duration.ofHours(8));
		}

		assertThat(receiver.received()).hasSize(WebhookDispatcher.MAX_ATTEMPTS);
		assertThat(deliveries(issued.endpoint().id())).singleElement()
			.satisfies(row -> assertThat(row).containsEntry("state", "failed")
				.containsEntry("attempts", WebhookDispatcher.MAX_ATTEMPTS)
				.containsEntry("last_error", "http_503"));
		Duration schedule = WebhookDispatcher.BACKOFF.stream().reduce(Duration.ZERO, Duration::plus);
		assertThat(schedule).isBetween(Duration.ofHours(20), Duration.ofHours(26));
		assertThat(started).isBefore(clock.instant());
	}

	@Test
	void dispatchWhenEarlierEventOfTheClientFailsThenTheNextWaitsAndBothArriveInOrder() throws Exception {
		register("auth_client.updated");
		String client = "c-" + UUID.randomUUID();
		String other = "c-" + UUID.randomUUID();
		receiver.failOnceWhenBodyContains("\"first\"");

		changeClient(client, "first");
		changeClient(client, "second");
		changeClient(other, "another client");
		dispatchAll();

		// the first failed; the second (same client) waits, the other client's event is not held up
		assertThat(receiver.received()).extracting(r -> name(r.body()))
			.containsExactlyInAnyOrder("first", "another client");
		clock.advance(Duration.ofSeconds(10));
		dispatchAll();

		assertThat(receiver.received()).extracting(r -> name(r.body()))
			.containsSubsequence("first", "first", "second")
			.hasSize(4);
	}

	private String name(String body) {
		return json.readTree(body).get("data").get("changes").get(0).get("to").asString();
	}

	@Test
	void changeWhenRolledBackThenNothingQueuedNorSent() {
		IssuedWebhookSecret issued = register("auth_client.updated");

		new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
			trail.recordAbout("c-rolled-back", "updated", "auth_client", "c-rolled-back", "x",
					List.of(new FieldChange("name", "a", "b")));
			status.setRollbackOnly();
		});
		dispatchAll();

		assertThat(deliveries(issued.endpoint().id())).isEmpty();
		assertThat(receiver.received()).isEmpty();
	}

	@Test
	void changeWhenEndpointInactiveOrTypeNotWantedThenNothingQueued() {
		IssuedWebhookSecret wanted = register("auth_client.deleted");
		IssuedWebhookSecret inactive = webhooks.create(
				new WebhookDraft(receiver.url(), "off", List.of("auth_client.updated"), false));

		changeClient("c-" + UUID.randomUUID(), "Billing");

		assertThat(deliveries(wanted.endpoint().id())).isEmpty();
		assertThat(deliveries(inactive.endpoint().id())).isEmpty();
	}

	@Test
	void redeliverWhenDeliveredThenSentAgainWithTheSameEventIdAndTheOriginalStaysInTheLog() {
		IssuedWebhookSecret issued = register("auth_client.updated");
		changeClient("c-" + UUID.randomUUID(), "Billing");
		dispatchAll();
		WebhookDelivery original = webhooks.deliveries(issued.endpoint().id(), 1).rows().get(0);

		webhooks.redeliver(issued.endpoint().id(), original.id());
		dispatchAll();

		assertThat(receiver.received()).hasSize(2);
		assertThat(receiver.received()).extracting(r -> r.header("Gatehouse-Webhook-Id")).containsOnly(
				Long.toString(original.eventId()));
		assertThat(webhooks.deliveries(issued.endpoint().id(), 1).rows()).extracting(WebhookDelivery::state)
			.containsExactly("delivered", "delivered");
	}

	@Test
	void backlogWhenDeliveriesPendingThenGaugeShowsThemAfterTheNextSample() {
		register("auth_client.updated");
		receiver.answer(500, 500, 500);

		changeClient("c-" + UUID.randomUUID(), "a");
		changeClient("c-" + UUID.randomUUID(), "b");
		changeClient("c-" + UUID.randomUUID(), "c");
		maintenance.sample();

		assertThat(meters.get("gatehouse.webhooks.backlog").gauge().value()).isEqualTo(3.0);
		double retries = meters.get("gatehouse.webhooks.deliveries").tag("result", "retry").counter().count();
		dispatchAll();
		maintenance.sample();

		assertThat(meters.get("gatehouse.webhooks.backlog").gauge().value()).isEqualTo(3.0);
		assertThat(meters.get("gatehouse.webhooks.deliveries").tag("result", "retry").counter().count())
			.isEqualTo(retries + 3);
		clock.advance(Duration.ofSeconds(10));
		dispatchAll();
		maintenance.sample();

		assertThat(meters.get("gatehouse.webhooks.backlog").gauge().value()).isZero();
	}

	@Test
	void dispatchWhenTwoDispatchersRunAtOnceThenEachEventDeliveredExactlyOnce() throws Exception {
		register("auth_client.updated");
		int clients = 20;
		int eventsPerClient = 5;
		for (int i = 0; i < eventsPerClient; i++) {
			for (int c = 0; c < clients; c++) {
				changeClient("c-race-" + c, "event " + i);
			}
		}
		CyclicBarrier together = new CyclicBarrier(2);
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			List<Future<Integer>> runs = new ArrayList<>();
			for (int t = 0; t < 2; t++) {
				runs.add(threads.submit(() -> {
					int sent = 0;
					for (int round = 0; round < 3 * eventsPerClient; round++) {
						together.await();
						sent += dispatcher.dispatchDue();
					}
					return sent;
				}));
			}
			int total = 0;
			for (Future<Integer> run : runs) {
				total += run.get();
			}
			assertThat(total).isEqualTo(clients * eventsPerClient);
		}
		finally {
			threads.shutdownNow();
		}

		Map<String, Long> perEvent = receiver.received()
			.stream()
			.collect(Collectors.groupingBy(r -> r.header("Gatehouse-Webhook-Id"), Collectors.counting()));
		assertThat(perEvent).hasSize(clients * eventsPerClient).allSatisfy((id, count) -> assertThat(count).isOne());
		// and in order per client
		Map<String, List<String>> perClient = receiver.received()
			.stream()
			.map(r -> json.readTree(r.body()))
			.collect(Collectors.groupingBy(body -> body.get("data").get("client_id").asString(),
					Collectors.mapping(body -> body.get("data").get("changes").get(0).get("to").asString(),
							Collectors.toList())));
		assertThat(perClient.values()).allSatisfy(names -> assertThat(names).containsExactly("event 0", "event 1",
				"event 2", "event 3", "event 4"));
	}

}
