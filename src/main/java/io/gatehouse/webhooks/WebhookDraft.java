package io.gatehouse.webhooks;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** What a form or API request asks an endpoint to be; {@link WebhookService} checks it. */
record WebhookDraft(@Nullable String url, @Nullable String description, @Nullable List<String> eventTypes,
		@Nullable Boolean active) {
}
