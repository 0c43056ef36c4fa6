package io.gatehouse.oauth;

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;

import io.gatehouse.outbound.OutboundException;
import io.gatehouse.outbound.OutboundHttp;
import io.gatehouse.outbound.OutboundRequest;
import io.gatehouse.outbound.OutboundResponse;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The keys of {@code private_key_jwt} clients that publish them at a {@code jwks_uri}, fetched through the outbound
 * module (https, no private addresses, short timeouts, 64 KiB) and kept per node for at most {@link #LIFETIME}. An
 * assertion signed with a key the cached set lacks (the client rotated its keys) fetches the set again, at most once
 * per {@link #REFETCH_INTERVAL} per URL, so unknown {@code kid}s cannot make the server hammer the client's host.
 * This caches another host's document, not database state: a changed {@code jwks_uri} is another cache key.
 */
@Component
class JwksUriKeys {

	static final Duration LIFETIME = Duration.ofMinutes(5);

	static final Duration REFETCH_INTERVAL = Duration.ofSeconds(30);

	private record Fetched(JWKSet keys, Instant at) {
	}

	private final OutboundHttp http;

	private final Clock clock;

	private final Cache<String, Fetched> cache;

	@Autowired
	JwksUriKeys(OutboundHttp http) {
		this(http, Clock.systemUTC());
	}

	JwksUriKeys(OutboundHttp http, Clock clock) {
		this.http = http;
		this.clock = clock;
		this.cache = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(LIFETIME).build();
	}

	/** The keys of the set at {@code uri} that the selector picks, fetching the set when needed. */
	List<JWK> select(String uri, JWKSelector selector) throws KeySourceException {
		Fetched fetched = this.cache.getIfPresent(uri);
		if (fetched == null) {
			fetched = fetch(uri);
		}
		List<JWK> keys = selector.select(fetched.keys());
		if (keys.isEmpty() && !fetched.at().plus(REFETCH_INTERVAL).isAfter(this.clock.instant())) {
			keys = selector.select(fetch(uri).keys());
		}
		return keys;
	}

	private Fetched fetch(String uri) throws KeySourceException {
		OutboundResponse response;
		try {
			response = this.http.send(OutboundRequest.get(URI.create(uri)).header("Accept", "application/json"));
		}
		catch (OutboundException | IllegalArgumentException ex) {
			throw new KeySourceException("The client's JWKS could not be fetched: " + ex.getMessage());
		}
		if (!response.successful()) {
			throw new KeySourceException("The client's JWKS URL answered " + response.status());
		}
		try {
			// only the public parts, whatever the document holds
			Fetched fetched = new Fetched(JWKSet.parse(response.bodyAsString()).toPublicJWKSet(), this.clock.instant());
			this.cache.put(uri, fetched);
			return fetched;
		}
		catch (ParseException ex) {
			throw new KeySourceException("The client's JWKS URL did not answer with a JSON Web Key Set");
		}
	}

}
