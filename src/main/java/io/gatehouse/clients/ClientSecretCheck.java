package io.gatehouse.clients;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.cluster.ChangeSignal;
import io.gatehouse.cluster.ChangeSignals;
import io.gatehouse.cluster.InvalidatingCache;
import io.gatehouse.cluster.Topics;
import io.gatehouse.database.Timestamps;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Client authentication by secret, at the token, introspection and revocation endpoints: the client with its active
 * secrets from a cache that every change to the client drops on every node ({@link Topics#CLIENT}), and the check of
 * a presented secret against it at its time of use (so an expiry needs no signal). A secret's last use is written
 * at most once a minute per node (a conditional update keeps it to about once a minute across nodes), never once
 * per request.
 */
@Component
class ClientSecretCheck {

	private final JdbcAuthClientRepository clients;

	private final JdbcClientSecretRepository secrets;

	private final InvalidatingCache<String, ClientCredentials> credentials;

	/** Secrets whose use this node recorded in the last minute. */
	private final Cache<String, Boolean> recentlyRecorded = Caffeine.newBuilder()
		.expireAfterWrite(Duration.ofMinutes(1))
		.maximumSize(100_000)
		.build();

	ClientSecretCheck(JdbcAuthClientRepository clients, JdbcClientSecretRepository secrets, ChangeSignals signals) {
		this.clients = clients;
		this.secrets = secrets;
		this.credentials = signals.cache(10_000, Duration.ofMinutes(10));
	}

	/** The live client with its active secrets; empty for unknown and deleted clients. */
	Optional<ClientCredentials> credentialsOf(String clientId) {
		return Optional.ofNullable(credentials.get(clientId, id -> clients.findLive(id)
			.map(client -> new ClientCredentials(client, secrets.active(id, Timestamps.now())))
			.orElse(null)));
	}

	/** True when {@code presented} is an active, unexpired secret of the live client; records its use. */
	boolean authenticate(String clientId, String presented) {
		ClientCredentials.ActiveSecret secret = credentialsOf(clientId)
			// a public client has no secret, and a private_key_jwt client may not use the ones it had
			.filter(found -> found.client().authentication().usesSecret())
			.map(found -> found.match(presented, Timestamps.now()))
			.orElse(null);
		if (secret == null) {
			return false;
		}
		if (recentlyRecorded.asMap().putIfAbsent(secret.id(), Boolean.TRUE) == null) {
			secrets.recordUse(secret.id(), Timestamps.now());
		}
		return true;
	}

	@EventListener
	void clientChanged(ChangeSignal signal) {
		if (signal.is(Topics.CLIENT)) {
			credentials.invalidate(signal.key());
		}
	}

}
