package io.gatehouse.webhooks;

import java.util.List;
import java.util.Map;

import io.gatehouse.accounts.User;
import io.gatehouse.support.GatehouseIntegrationTest;
import io.gatehouse.support.TestAccounts;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static io.gatehouse.support.TestAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The REST API and console pages of webhooks: only holders of manage-webhooks (or a super admin) reach them, the
 * signing secret is shown once and stored encrypted, a private or metadata address is refused at save, and every
 * change is audited. Public targets are IP literals, so no test needs DNS.
 */
@GatehouseIntegrationTest
class WebhookIntegrationTests {

	static final String PUBLIC_URL = "https://93.184.215.14/gatehouse-events";

	@Autowired
	MockMvc mvc;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcWebhookRepository repository;

	private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, String body) {
		return request.contentType(MediaType.APPLICATION_JSON).content(body);
	}

	private User manager() {
		return TestAccounts.user().permissions("manage-webhooks").create(jdbc);
	}

	private JsonNode create(User user, String url) throws Exception {
		String body = mvc.perform(json(post("/api/1.0/webhooks"), """
				{"url": "%s", "description": "CRM", "event_types": ["auth_client.created", "sign_in.failed"]}
				""".formatted(url)).with(csrf()).with(as(user)))
			.andExpect(status().isCreated())
			.andExpect(header().string("Cache-Control", containsString("no-store")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		return json.readTree(body);
	}

	@Test
	void createWhenManagerThenSecretShownOnceAndStoredOnlyEncrypted() throws Exception {
		User manager = manager();

		JsonNode created = create(manager, PUBLIC_URL);
		String secret = created.get("secret").asString();
		long id = created.get("id").asLong();

		assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
		assertThat(created.get("event_types").toString()).contains("auth_client.created", "sign_in.failed");
		mvc.perform(get("/api/1.0/webhooks/{id}", id).with(csrf()).with(as(manager)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.url").value(PUBLIC_URL))
			.andExpect(jsonPath("$.secret").doesNotExist());
		mvc.perform(get("/api/1.0/webhooks").with(csrf()).with(as(manager)))
			.andExpect(status().isOk())
			.andExpect(content().string(not(containsString(secret))));
		String stored = jdbc.sql("select secret from webhook_endpoint where id = :id").param("id", id)
			.query(String.class)
			.single();
		assertThat(stored).startsWith("kek1:").doesNotContain(secret);
		String audited = String.join(" ", jdbc.sql("select changes from audit_record where subject_type = 'webhook' "
				+ "and subject_id = :id").param("id", Long.toString(id)).query(String.class).list());
		assertThat(audited).contains("event_types").doesNotContain(secret);
	}

	@Test
	void regenerateSecretWhenManagerThenANewSecretOnceAndTheOldOneReplaced() throws Exception {
		User manager = manager();
		JsonNode created = create(manager, PUBLIC_URL);
		String before = jdbc.sql("select secret from webhook_endpoint where id = :id")
			.param("id", created.get("id").asLong()).query(String.class).single();

		mvc.perform(post("/api/1.0/webhooks/{id}/regenerate-secret", created.get("id").asLong()).with(csrf())
			.with(as(manager)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.secret").value(org.hamcrest.Matchers.startsWith("whsec_")))
			.andExpect(jsonPath("$.secret").value(not(created.get("secret").asString())));

		assertThat(jdbc.sql("select secret from webhook_endpoint where id = :id")
			.param("id", created.get("id").asLong()).query(String.class).single()).isNotEqualTo(before);
	}

	@Test
	void createWhenUrlPointsAtPrivateLoopbackOrMetadataAddressThen422AndNothingStored() throws Exception {
		User manager = manager();
		long before = jdbc.sql("select count(*) from webhook_endpoint").query(Long.class).single();

		for (String url : List.of("https://10.0.0.8/hook", "https://169.254.169.254/latest/meta-data",
				"http://127.0.0.1:8080/hook", "https://[::1]/hook", "http://93.184.215.14/plain-http")) {
			mvc.perform(json(post("/api/1.0/webhooks"), """
					{"url": "%s", "event_types": ["auth_client.created"]}
					""".formatted(url)).with(csrf()).with(as(manager)))
				.andExpect(status().isUnprocessableContent())
				.andExpect(jsonPath("$.errors.url").exists());
		}

		assertThat(jdbc.sql("select count(*) from webhook_endpoint").query(Long.class).single()).isEqualTo(before);
	}

	@Test
	void createWhenEventTypeUnknownOrMissingOrFieldUnknownThen4xxNamingIt() throws Exception {
		User manager = manager();

		mvc.perform(json(post("/api/1.0/webhooks"), """
				{"url": "%s", "event_types": ["auth_client.exploded"]}
				""".formatted(PUBLIC_URL)).with(csrf()).with(as(manager)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.event_types[0]").value("Unknown event type: auth_client.exploded."));
		mvc.perform(json(post("/api/1.0/webhooks"), """
				{"url": "%s"}
				""".formatted(PUBLIC_URL)).with(csrf()).with(as(manager)))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors.event_types").exists());
		mvc.perform(json(post("/api/1.0/webhooks"), """
				{"url": "%s", "event_types": ["auth_client.created"], "secret": "mine"}
				""".formatted(PUBLIC_URL)).with(csrf()).with(as(manager)))
			.andExpect(status().is4xxClientError());
	}

	@Test
	void updateAndDeleteWhenManagerThenChangedThenGone() throws Exception {
		User manager = manager();
		long id = create(manager, PUBLIC_URL).get("id").asLong();

		mvc.perform(json(put("/api/1.0/webhooks/{id}", id), """
				{"url": "%s", "event_types": ["webhook.deleted"], "active": false}
				""".formatted(PUBLIC_URL + "?token=abc")).with(csrf()).with(as(manager)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.active").value(false))
			.andExpect(jsonPath("$.event_types[0]").value("webhook.deleted"));
		mvc.perform(delete("/api/1.0/webhooks/{id}", id).with(csrf()).with(as(manager)))
			.andExpect(status().isNoContent());

		mvc.perform(get("/api/1.0/webhooks/{id}", id).with(csrf()).with(as(manager))).andExpect(status().isNotFound());
		String audited = String.join(" ", jdbc.sql("select changes from audit_record where subject_type = 'webhook' "
				+ "and subject_id = :id").param("id", Long.toString(id)).query(String.class).list());
		assertThat(audited).doesNotContain("token=abc");
	}

	@Test
	void deliveriesWhenEndpointHasNoneThenEmptyLogAndUnknownDelivery404() throws Exception {
		User manager = manager();
		long id = create(manager, PUBLIC_URL).get("id").asLong();

		mvc.perform(get("/api/1.0/webhooks/{id}/deliveries", id).with(csrf()).with(as(manager)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data").isEmpty())
			.andExpect(jsonPath("$.meta.has_more").value(false));
		mvc.perform(post("/api/1.0/webhooks/{id}/deliveries/{d}/redeliver", id, 999_999).with(csrf()).with(as(manager)))
			.andExpect(status().isNotFound());
		mvc.perform(get("/api/1.0/webhooks/{id}/deliveries", id).param("page", "zero").with(csrf()).with(as(manager)))
			.andExpect(status().isUnprocessableContent());
	}

	@Test
	void attemptsWhenDeliveryTriedTwiceThenApiAndPageShowBothWithTheAnswerAsText() throws Exception {
		User manager = manager();
		long id = create(manager, PUBLIC_URL).get("id").asLong();
		java.time.Instant now = java.time.Instant.now();
		repository.enqueue(id, 4242, "auth_client.created", "client:x", "{}", now);
		long delivery = jdbc.sql("select id from webhook_delivery where endpoint_id = :e").param("e", id)
			.query(Long.class).single();
		// finished, so that no dispatcher of this context picks it up meanwhile
		jdbc.sql("update webhook_delivery set state = 'failed', attempts = 2 where id = :id").param("id", delivery)
			.update();
		repository.insertAttempt(delivery, 1, now, 500, "http_500", 31, "<script>alert(1)</script> down");
		repository.insertAttempt(delivery, 2, now.plusSeconds(10), null, "timeout", 10_000, "");

		mvc.perform(get("/api/1.0/webhooks/{id}/deliveries/{d}/attempts", id, delivery).with(csrf())
			.with(as(manager)))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.data.length()").value(2))
			.andExpect(jsonPath("$.data[0].attempt").value(1))
			.andExpect(jsonPath("$.data[0].status").value(500))
			.andExpect(jsonPath("$.data[0].error").value("http_500"))
			.andExpect(jsonPath("$.data[0].duration_ms").value(31))
			.andExpect(jsonPath("$.data[0].response_body").value("<script>alert(1)</script> down"))
			.andExpect(jsonPath("$.data[1].status").isEmpty())
			.andExpect(jsonPath("$.data[1].error").value("timeout"));
		String page = mvc.perform(get("/admin/webhooks/{id}", id).with(csrf()).with(as(manager)))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains("http_500", "timeout", "10000 ms")
			.contains("&lt;script&gt;alert(1)&lt;/script&gt; down")
			.doesNotContain("<script>alert(1)</script>");

		// another endpoint's delivery is not reachable through this one, and a foreign caller gets nothing
		long other = create(manager, PUBLIC_URL).get("id").asLong();
		mvc.perform(get("/api/1.0/webhooks/{id}/deliveries/{d}/attempts", other, delivery).with(csrf())
			.with(as(manager))).andExpect(status().isNotFound());
		mvc.perform(get("/api/1.0/webhooks/{id}/deliveries/{d}/attempts", id, delivery).with(csrf())
			.with(as(TestAccounts.user().permissions("view-audit").create(jdbc)))).andExpect(status().isForbidden());
	}

	@Test
	void everyEndpointAndPageWhenCallerLacksManageWebhooksThenForbidden() throws Exception {
		User other = TestAccounts.user().permissions("view-audit", "edit-auth_clients").create(jdbc);
		long id = create(manager(), PUBLIC_URL).get("id").asLong();
		String body = "{\"url\": \"" + PUBLIC_URL + "\", \"event_types\": [\"auth_client.created\"]}";

		for (MockHttpServletRequestBuilder request : List.of(get("/api/1.0/webhooks"),
				json(post("/api/1.0/webhooks"), body), get("/api/1.0/webhooks/" + id),
				json(put("/api/1.0/webhooks/" + id), body), delete("/api/1.0/webhooks/" + id),
				post("/api/1.0/webhooks/" + id + "/regenerate-secret"),
				get("/api/1.0/webhooks/" + id + "/deliveries"), get("/api/1.0/webhooks/" + id + "/deliveries/1"),
				post("/api/1.0/webhooks/" + id + "/deliveries/1/redeliver"))) {
			mvc.perform(request.with(csrf()).with(as(other))).andExpect(status().isForbidden());
		}
		for (MockHttpServletRequestBuilder page : List.of(get("/admin/webhooks"), get("/admin/webhooks/new"),
				get("/admin/webhooks/" + id), get("/admin/webhooks/" + id + "/edit"),
				post("/admin/webhooks").with(csrf()).param("url", PUBLIC_URL),
				post("/admin/webhooks/" + id).with(csrf()).param("url", PUBLIC_URL),
				post("/admin/webhooks/" + id + "/delete").with(csrf()),
				post("/admin/webhooks/" + id + "/regenerate-secret").with(csrf()),
				post("/admin/webhooks/" + id + "/deliveries/1/redeliver").with(csrf()))) {
			mvc.perform(page.with(csrf()).with(as(other))).andExpect(status().isForbidden());
		}
		mvc.perform(get("/api/1.0/webhooks").with(csrf()).with(as(TestAccounts.user().superAdmin().create(jdbc))))
			.andExpect(status().isOk());
		assertThat(jdbc.sql("select count(*) from webhook_endpoint where id = :id").param("id", id)
			.query(Long.class).single()).isOne();
	}

	@Test
	void consoleWhenManagerRegistersThenSecretPageOnceThenShowPageWithoutIt() throws Exception {
		User manager = manager();

		String page = mvc.perform(post("/admin/webhooks").with(csrf()).with(as(manager))
			.param("url", PUBLIC_URL + "/console").param("description", "From the console")
			.param("event_types", "auth_client.deleted", "user.created").param("active", "true"))
			.andExpect(status().isOk())
			.andExpect(header().string("Cache-Control", "no-store"))
			.andExpect(content().string(containsString("whsec_")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		String secret = page.replaceAll("(?s).*(whsec_[A-Za-z0-9_-]+).*", "$1");
		Map<String, Object> row = jdbc.sql("select id, event_types from webhook_endpoint where url = :url")
			.param("url", PUBLIC_URL + "/console").query().singleRow();

		assertThat((String) row.get("event_types")).contains("auth_client.deleted", "user.created");
		mvc.perform(get("/admin/webhooks/{id}", row.get("id")).with(csrf()).with(as(manager)))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("From the console")))
			.andExpect(content().string(containsString("No delivery yet.")))
			.andExpect(content().string(not(containsString(secret))));
		mvc.perform(get("/admin/webhooks").with(csrf()).with(as(manager)))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(PUBLIC_URL + "/console")));
		mvc.perform(get("/admin/webhooks/{id}/edit", row.get("id")).with(csrf()).with(as(manager)))
			.andExpect(status().isOk());
	}

	@Test
	void consoleWhenUrlIsPrivateThen422WithTheFieldErrorAndNothingStored() throws Exception {
		User manager = manager();

		mvc.perform(post("/admin/webhooks").with(csrf()).with(as(manager))
			.param("url", "https://192.168.0.10/hook").param("event_types", "auth_client.deleted"))
			.andExpect(status().isUnprocessableContent())
			.andExpect(content().string(containsString("private, loopback or link-local")));

		assertThat(jdbc.sql("select count(*) from webhook_endpoint where url = 'https://192.168.0.10/hook'")
			.query(Long.class).single()).isZero();
	}

	@Test
	void openApiDocumentWhenReadThenDescribesEveryWebhookEndpointAndField() throws Exception {
		mvc.perform(get("/api/documentation/openapi.json"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.paths['/api/1.0/webhooks'].get").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/webhooks'].post").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/webhooks/{id}'].put").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/webhooks/{id}'].delete").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/webhooks/{id}/regenerate-secret'].post").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/webhooks/{id}/deliveries'].get").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/webhooks/{id}/deliveries/{delivery_id}/redeliver'].post").exists())
			.andExpect(jsonPath("$.paths['/api/1.0/webhooks/{id}/deliveries/{delivery_id}/attempts'].get").exists())
			.andExpect(jsonPath("$.components.schemas.WebhookAttemptJson.properties.response_body").exists())
			.andExpect(jsonPath("$.components.schemas.WebhookRequest.properties.event_types").exists())
			.andExpect(jsonPath("$.components.schemas.WebhookJson.properties.secret.description")
				.value(containsString("shown only once")))
			.andExpect(jsonPath("$.components.schemas.WebhookDeliveryJson.properties.last_error").exists());
	}

}
