package io.gatehouse.oauth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * The request's parameters split by where they came from. The servlet API merges the query string and the form body
 * into one map, query values first (Servlet 6.0, 3.1); RFC 6749 puts token request parameters in the body. Spring's
 * own converters make the same split ({@code OAuth2EndpointUtils.getFormParameters}), but by a substring test on the
 * raw query string; here the query string is parsed, so {@code ?x=password} does not hide a form field
 * {@code password}.
 */
final class FormParameters {

	private FormParameters() {
	}

	/** Each parameter's values from the form body only, in order. */
	static MultiValueMap<String, String> of(HttpServletRequest request) {
		Map<String, Integer> inQuery = queryCounts(request);
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		request.getParameterMap().forEach((name, values) -> {
			int queryValues = Math.min(inQuery.getOrDefault(name, 0), values.length);
			List<String> fromBody = Arrays.asList(values).subList(queryValues, values.length);
			if (!fromBody.isEmpty()) {
				form.put(name, List.copyOf(fromBody));
			}
		});
		return form;
	}

	/** The names in the query string, decoded, each with how often it occurs. */
	static Map<String, Integer> queryCounts(HttpServletRequest request) {
		Map<String, Integer> counts = new LinkedHashMap<>();
		String query = request.getQueryString();
		if (query == null || query.isEmpty()) {
			return counts;
		}
		for (String pair : query.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			counts.merge(decode(equals < 0 ? pair : pair.substring(0, equals)), 1, Integer::sum);
		}
		return counts;
	}

	private static String decode(String name) {
		try {
			return URLDecoder.decode(name, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException malformed) {
			// the container skips a name it cannot decode too; comparing it raw is the best there is
			return name;
		}
	}

}
