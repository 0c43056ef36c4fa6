package io.gatehouse.webhooks;

import java.time.Duration;
import java.util.List;

import io.gatehouse.cluster.ChangeSignal;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.InvalidatingCache;
import io.gatehouse.cluster.Topics;
import io.gatehouse.signing.KeyEncryption;
import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The endpoints as the sending side needs them, cached on each node so that a delivery costs neither a read of its
 * endpoint nor a decryption of its secret, and an audit event no read of the endpoint list: the active endpoints
 * (for the outbox) and, per endpoint, its URL and decrypted signing secret (for the dispatcher). Every change of an
 * endpoint (edit, delete, new secret) is signalled under {@link Topics#WEBHOOK}, and drops what is cached about it
 * on every node within {@link ChangeSignals#STALENESS_BOUND}.
 */
@Component
class WebhookEndpointCache {

	private static final String ACTIVE = "active";

	private final JdbcWebhookRepository repository;

	private final KeyEncryption encryption;

	private final InvalidatingCache<Long, Sendable> sendable;

	private final InvalidatingCache<String, List<WebhookEndpoint>> active;

	WebhookEndpointCache(JdbcWebhookRepository repository, KeyEncryption encryption, ChangeSignals signals) {
		this.repository = repository;
		this.encryption = encryption;
		this.sendable = signals.cache(10_000, Duration.ofHours(1));
		this.active = signals.cache(1, Duration.ofHours(1));
	}

	/** Where to send and how to sign, for a delivery to this endpoint. */
	record Sendable(String url, String secret) {

		@Override
		public String toString() {
			// never the secret, should this ever be logged
			return "Sendable[url=" + url + "]";
		}

	}

	/** The active endpoints, by id. */
	List<WebhookEndpoint> active() {
		List<WebhookEndpoint> endpoints = active.get(ACTIVE, key -> List.copyOf(repository.findActiveEndpoints()));
		return endpoints == null ? List.of() : endpoints;
	}

	/**
	 * The endpoint's URL and decrypted secret; null when it was deleted.
	 *
	 * @throws IllegalStateException when its secret cannot be decrypted (the key-encryption key changed)
	 */
	@Nullable Sendable sendable(long endpointId) {
		return sendable.get(endpointId, id -> repository.findEncryptedEndpoint(id)
			.map(endpoint -> new Sendable(endpoint.url(), encryption.decrypt(WebhookService.associatedData(id),
					endpoint.encryptedSecret(), "signing secret of webhook " + id)))
			.orElse(null));
	}

	@EventListener
	void on(ChangeSignal signal) {
		if (signal.is(Topics.WEBHOOK)) {
			try {
				sendable.invalidate(Long.parseLong(signal.key()));
			}
			catch (NumberFormatException ex) {
				sendable.invalidateAll();
			}
			active.invalidateAll();
		}
	}

}
