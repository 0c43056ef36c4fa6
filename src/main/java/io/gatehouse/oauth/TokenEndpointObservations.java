package io.gatehouse.oauth;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;

import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * Leaves the token and introspection endpoints out of Spring's {@code http.server.requests} observation. Both are
 * timed already, by grant type and outcome, by {@link TokenEndpointMetrics}; the generic observation measured the same
 * requests a second time (a timer and an active-requests long task timer per request), which cost about 9% of an
 * introspection's CPU in a flight recording. Every other path keeps it.
 */
@Component
final class TokenEndpointObservations implements ObservationPredicate {

	@Override
	public boolean test(String name, Observation.Context context) {
		if (!(context instanceof ServerRequestObservationContext request)) {
			return true;
		}
		String path = request.getCarrier().getRequestURI();
		return !AuthorizationServerConfiguration.TOKEN_ENDPOINT.equals(path)
				&& !AuthorizationServerConfiguration.INTROSPECTION_ENDPOINT.equals(path);
	}

}
