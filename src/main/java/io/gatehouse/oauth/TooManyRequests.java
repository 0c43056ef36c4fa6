package io.gatehouse.oauth;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;

/** The answer of both rate limits: 429, {@code Retry-After}, and an OAuth error body saying which limit and when. */
final class TooManyRequests {

	private TooManyRequests() {
	}

	/** {@code why} ends "is reached." or the like: the body adds the seconds to wait. */
	static void answer(HttpServletResponse response, long retryAfter, String why) throws IOException {
		response.setStatus(429);
		response.setHeader("Retry-After", String.valueOf(retryAfter));
		response.setHeader("Cache-Control", "no-store");
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.getWriter().write("{\"error\":\"temporarily_unavailable\",\"error_description\":\"" + why
				+ " Retry after " + retryAfter + " seconds.\"}");
	}

}
