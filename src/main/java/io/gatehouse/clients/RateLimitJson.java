package io.gatehouse.clients;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

import org.jspecify.annotations.Nullable;

/** A client's token-endpoint rate limit in the API: {@code {"per_second": n, "burst": m}}. */
@Schema(description = "Token endpoint requests a second, with a burst (a token bucket per node); 429 beyond it")
record RateLimitJson(@JsonProperty("per_second") int perSecond, int burst) {

	static @Nullable RateLimitJson of(ClientPolicy.@Nullable RateLimit limit) {
		return limit == null ? null : new RateLimitJson(limit.perSecond(), limit.burst());
	}

	ClientPolicy.RateLimit toLimit() {
		return new ClientPolicy.RateLimit(perSecond, burst);
	}

}
