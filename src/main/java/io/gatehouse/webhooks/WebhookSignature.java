package io.gatehouse.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a delivery: {@code Gatehouse-Webhook-Signature: v1=<hex>}, the hex being the HMAC-SHA-256, keyed
 * with the endpoint's secret (its UTF-8 bytes, prefix included), of {@code <id>.<timestamp>.<body>}: the
 * {@code Gatehouse-Webhook-Id} and {@code Gatehouse-Webhook-Timestamp} headers and the raw body. Signing the
 * timestamp lets a receiver refuse a replay (a timestamp older than a few minutes), signing the id lets it drop a
 * repeat.
 */
final class WebhookSignature {

	static final String ID_HEADER = "Gatehouse-Webhook-Id";

	static final String TIMESTAMP_HEADER = "Gatehouse-Webhook-Timestamp";

	static final String SIGNATURE_HEADER = "Gatehouse-Webhook-Signature";

	private WebhookSignature() {
	}

	static String sign(String secret, String id, long unixSeconds, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			byte[] digest = mac.doFinal((id + "." + unixSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
			return "v1=" + HexFormat.of().formatHex(digest);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("This JVM has no HmacSHA256", ex);
		}
	}

}
