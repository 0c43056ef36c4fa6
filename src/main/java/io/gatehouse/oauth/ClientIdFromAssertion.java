package io.gatehouse.oauth;

import java.text.ParseException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import com.nimbusds.jwt.JWTParser;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * RFC 7521 4.2 and RFC 7523 3: with a JWT client assertion, {@code client_id} is optional, since the assertion's
 * {@code sub} names the client; Spring's converter insists on it, so standard clients that leave it out (the Nimbus
 * SDK, for one) were answered {@code invalid_request}. When it is missing, the assertion's unverified {@code sub} is
 * passed on as the {@code client_id}; the assertion's signature and its {@code iss} = {@code sub} = client id are then
 * checked as for any other (JwtClientAssertionAuthenticationProvider), so a wrong {@code sub} only names a client
 * whose keys will not verify it.
 */
final class ClientIdFromAssertion implements AuthenticationConverter {

	private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

	private final AuthenticationConverter spring;

	ClientIdFromAssertion(AuthenticationConverter spring) {
		this.spring = spring;
	}

	@Override
	public @Nullable Authentication convert(HttpServletRequest request) {
		String assertion = request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION);
		if (request.getParameter(OAuth2ParameterNames.CLIENT_ID) != null || assertion == null
				|| !JWT_BEARER.equals(request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION_TYPE))) {
			return spring.convert(request);
		}
		String subject = subject(assertion);
		return spring.convert(subject == null ? request : withClientId(request, subject));
	}

	private static @Nullable String subject(String assertion) {
		try {
			return JWTParser.parse(assertion).getJWTClaimsSet().getSubject();
		}
		catch (ParseException notAJwt) {
			return null; // Spring's converter and provider answer it as they would
		}
	}

	private static HttpServletRequest withClientId(HttpServletRequest request, String clientId) {
		Map<String, String[]> parameters = new HashMap<>(request.getParameterMap());
		parameters.put(OAuth2ParameterNames.CLIENT_ID, new String[] { clientId });
		Map<String, String[]> all = Collections.unmodifiableMap(parameters);
		return new HttpServletRequestWrapper(request) {

			@Override
			public String getParameter(String name) {
				String[] values = all.get(name);
				return values == null || values.length == 0 ? null : values[0];
			}

			@Override
			public Map<String, String[]> getParameterMap() {
				return all;
			}

			@Override
			public java.util.Enumeration<String> getParameterNames() {
				return Collections.enumeration(all.keySet());
			}

			@Override
			public String[] getParameterValues(String name) {
				return all.get(name);
			}

		};
	}

}
