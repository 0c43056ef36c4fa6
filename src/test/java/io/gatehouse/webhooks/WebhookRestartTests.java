package io.gatehouse.webhooks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.gatehouse.support.GatehouseHttp;
import io.gatehouse.support.GatehouseHttp.Response;
import io.gatehouse.support.GatehouseProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing committed is lost: the real server in a child JVM commits a change (with its outbox row) while delivery
 * is held off, is killed with SIGKILL, and the next process on the same database delivers the event.
 */
class WebhookRestartTests {

	@TempDir
	Path directory;

	@Test
	void restartWhenKilledAfterCommitBeforeDeliveryThenTheNextProcessDeliversTheEvent() throws Exception {
		try (WebhookReceiver receiver = new WebhookReceiver();
				GatehouseProcess server = GatehouseProcess.in(directory)
					.env("GATEHOUSE_OUTBOUND_ALLOW_PRIVATE", "true")
					.env("GATEHOUSE_WEBHOOKS_POLL_INTERVAL", "1h")
					.start()) {
			GatehouseHttp http = new GatehouseHttp(server.baseUri())
				.signIn(GatehouseProcess.ADMIN_USERNAME, GatehouseProcess.ADMIN_PASSWORD);
			Response created = http.session("POST", "/api/1.0/webhooks", """
					{"url": "%s", "event_types": ["webhook.updated"]}
					""".formatted(receiver.url()));
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
			long id = created.json().get("id").asLong();
			Response updated = http.session("PUT", "/api/1.0/webhooks/" + id, """
					{"url": "%s", "description": "before the kill", "event_types": ["webhook.updated"]}
					""".formatted(receiver.url()));
			assertThat(updated.status()).as(updated.toString()).isEqualTo(200);

			server.kill();
			assertThat(receiver.received()).isEmpty();
			server.env("GATEHOUSE_WEBHOOKS_POLL_INTERVAL", "200ms").start();

			Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
			while (receiver.received().isEmpty() && Instant.now().isBefore(deadline)) {
				Thread.sleep(100);
			}
			assertThat(receiver.received()).as(server.log()).singleElement().satisfies(request -> {
				assertThat(request.header("Gatehouse-Webhook-Signature")).startsWith("v1=");
				JsonNode change = new tools.jackson.databind.json.JsonMapper().readTree(request.body())
					.get("data")
					.get("changes")
					.get(0);
				assertThat(change.get("field").asString()).isEqualTo("description");
				assertThat(change.get("to").asString()).isEqualTo("before the kill");
			});
		}
	}

}
