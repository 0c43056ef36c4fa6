package io.gatehouse.webhooks;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.gatehouse.api.ValidationException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/1.0/webhooks}: event webhook endpoints, their delivery logs, and redelivery. */
@RestController
@RequestMapping("/api/1.0/webhooks")
@PreAuthorize("hasAuthority('manage-webhooks')")
@Tag(name = "Webhooks",
		description = "Endpoints that receive audit events as signed JSON POSTs (see the README, Event webhooks). "
				+ "Every operation needs the permission manage-webhooks.")
class WebhookApiController {

	private final WebhookService webhooks;

	WebhookApiController(WebhookService webhooks) {
		this.webhooks = webhooks;
	}

	@GetMapping
	@Operation(summary = "List webhook endpoints", description = "Never returns signing secrets.")
	Listing<WebhookJson> list() {
		return new Listing<>(webhooks.list().stream().map(endpoint -> WebhookJson.of(endpoint, null)).toList());
	}

	@PostMapping
	@Operation(summary = "Register a webhook endpoint",
			description = "201 with the endpoint and, this once, its signing secret in secret.")
	ResponseEntity<WebhookJson> create(@RequestBody WebhookRequest request) {
		IssuedWebhookSecret issued = webhooks.create(request.toDraft());
		return ResponseEntity.status(HttpStatus.CREATED)
			.cacheControl(CacheControl.noStore())
			.body(WebhookJson.of(issued.endpoint(), issued.secret()));
	}

	@GetMapping("/{id}")
	@Operation(summary = "Show a webhook endpoint", description = "Never returns its signing secret.")
	WebhookJson show(@PathVariable long id) {
		return WebhookJson.of(webhooks.get(id), null);
	}

	@PutMapping("/{id}")
	@Operation(summary = "Change a webhook endpoint",
			description = "Replaces URL, description, event types and active flag; the signing secret stays.")
	WebhookJson update(@PathVariable long id, @RequestBody WebhookRequest request) {
		return WebhookJson.of(webhooks.update(id, request.toDraft()), null);
	}

	@PostMapping("/{id}/regenerate-secret")
	@Operation(summary = "Regenerate the signing secret",
			description = "The old secret stops signing at once; the new one is in secret, shown this once.")
	ResponseEntity<WebhookJson> regenerateSecret(@PathVariable long id) {
		IssuedWebhookSecret issued = webhooks.regenerateSecret(id);
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.body(WebhookJson.of(issued.endpoint(), issued.secret()));
	}

	@DeleteMapping("/{id}")
	@Operation(summary = "Delete a webhook endpoint",
			description = "204; its delivery log goes with it and pending deliveries are not sent.")
	ResponseEntity<Void> delete(@PathVariable long id) {
		webhooks.delete(id);
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/{id}/deliveries")
	@Operation(summary = "List an endpoint's deliveries",
			description = "The delivery log, newest first, 50 a page (page from 1); has_more says whether another "
					+ "page follows.")
	DeliveryList deliveries(@PathVariable long id, @RequestParam(required = false) @Nullable String page) {
		WebhookService.DeliveryPage result = webhooks.deliveries(id, page(page));
		return new DeliveryList(result.rows().stream().map(WebhookDeliveryJson::of).toList(),
				new Meta(result.page(), WebhookService.PER_PAGE, result.hasMore()));
	}

	@GetMapping("/{id}/deliveries/{delivery_id}")
	@Operation(summary = "Show a delivery")
	WebhookDeliveryJson delivery(@PathVariable long id, @PathVariable("delivery_id") long deliveryId) {
		return WebhookDeliveryJson.of(webhooks.delivery(id, deliveryId));
	}

	@GetMapping("/{id}/deliveries/{delivery_id}/attempts")
	@Operation(summary = "List a delivery's attempts",
			description = "Every attempt of the delivery, first first: when, the answer's status or the failure's "
					+ "class, how long it took, and the start of the receiver's answer. A redelivery is a delivery "
					+ "of its own, with its own attempts.")
	Listing<WebhookAttemptJson> attempts(@PathVariable long id, @PathVariable("delivery_id") long deliveryId) {
		return new Listing<>(webhooks.attempts(id, deliveryId).stream().map(WebhookAttemptJson::of).toList());
	}

	@PostMapping("/{id}/deliveries/{delivery_id}/redeliver")
	@Operation(summary = "Redeliver an event",
			description = "201 with a new pending delivery of the same event (same event id), at the end of its "
					+ "queue; 409 while the delivery is still pending.")
	ResponseEntity<WebhookDeliveryJson> redeliver(@PathVariable long id,
			@PathVariable("delivery_id") long deliveryId) {
		return ResponseEntity.status(HttpStatus.CREATED)
			.body(WebhookDeliveryJson.of(webhooks.redeliver(id, deliveryId)));
	}

	static int page(@Nullable String page) {
		if (page == null || page.isBlank()) {
			return 1;
		}
		try {
			int value = Integer.parseInt(page.trim());
			if (value >= 1 && value <= 100_000) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		throw ValidationException.of("page", "The page must be a whole number from 1.");
	}

	record Listing<T>(List<T> data) {
	}

	record DeliveryList(List<WebhookDeliveryJson> data, Meta meta) {
	}

	record Meta(int page, @JsonProperty("per_page") int perPage, @JsonProperty("has_more") boolean hasMore) {
	}

}
