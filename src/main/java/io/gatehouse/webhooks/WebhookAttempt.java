package io.gatehouse.webhooks;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One attempt of a delivery, as the delivery log shows it.
 *
 * @param attempt 1 for the delivery's first attempt
 * @param status the answer's status code; null when none came (a network failure)
 * @param error the failure's class ({@code http_500}, {@code timeout}, {@code connect_failed}...); null when the
 *     answer was a 2xx
 * @param responseBody the first {@value WebhookSender#KEPT_RESPONSE_CHARACTERS} characters of the receiver's answer,
 *     control characters replaced: the receiver's text, to show as text
 */
record WebhookAttempt(long id, long deliveryId, int attempt, Instant attemptedAt, @Nullable Integer status,
		@Nullable String error, int durationMs, String responseBody) {
}
