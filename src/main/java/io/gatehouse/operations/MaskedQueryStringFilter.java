package io.gatehouse.operations;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hides the values of credential parameters in the query string from everything that logs the request URL (Spring
 * Security's and Spring MVC's DEBUG lines print it). A client that wrongly puts {@code client_secret} in the URL is
 * refused by the OAuth endpoints; with this filter its secret is not written to the log on the way either.
 * Only {@link HttpServletRequest#getQueryString()} is masked, keeping the parameter names, so code that tells
 * query parameters from form fields by name (Spring's authorization server, the form-body rule) works unchanged,
 * and the parameter values themselves are read from the container as before. A request without such a name in its
 * query string (nearly all) is passed on as it is.
 */
@Component
final class MaskedQueryStringFilter extends OncePerRequestFilter implements Ordered {

	static final String MASK = "***";

	private static final Set<String> CREDENTIALS = Set.of("client_secret", "password", "code", "code_verifier",
			"refresh_token", "access_token", "token", "id_token", "id_token_hint", "client_assertion", "assertion",
			"device_code", "user_code", "subject_token", "actor_token");

	/** Right after the request id, before anything that logs. */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String query = request.getQueryString();
		String masked = query == null ? null : mask(query);
		if (masked == null || masked.equals(query)) {
			chain.doFilter(request, response);
			return;
		}
		chain.doFilter(new HttpServletRequestWrapper(request) {
			@Override
			public String getQueryString() {
				return masked;
			}
		}, response);
	}

	/** The query with the value of every credential parameter replaced by {@value #MASK}. */
	static String mask(String query) {
		StringBuilder result = new StringBuilder(query.length());
		for (String pair : query.split("&", -1)) {
			if (!result.isEmpty()) {
				result.append('&');
			}
			int equals = pair.indexOf('=');
			String name = equals < 0 ? pair : pair.substring(0, equals);
			if (equals >= 0 && CREDENTIALS.contains(decodedName(name))) {
				result.append(name).append('=').append(MASK);
			}
			else {
				result.append(pair);
			}
		}
		return result.toString();
	}

	private static String decodedName(String name) {
		try {
			return URLDecoder.decode(name, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
		}
		catch (IllegalArgumentException malformed) {
			return name.toLowerCase(Locale.ROOT);
		}
	}

}
