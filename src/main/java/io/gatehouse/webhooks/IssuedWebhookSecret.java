package io.gatehouse.webhooks;

/** An endpoint with its signing secret, returned this once (on create and on regenerate); never stored in clear. */
record IssuedWebhookSecret(WebhookEndpoint endpoint, String secret) {
}
