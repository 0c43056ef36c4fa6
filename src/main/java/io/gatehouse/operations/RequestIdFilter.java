package io.gatehouse.operations;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id, answered in {@code X-Request-Id} and put in the logging context ({@code request_id}),
 * so a user's report ("request 3f2a... failed") leads to the log lines of that request. An id sent by a proxy in the
 * same header is kept when it is short and plain (letters, digits, {@code . _ -}, at most 64), so one id follows the
 * request through the proxy's logs and ours; anything else is replaced, so a client cannot write into the logs.
 */
@Component
final class RequestIdFilter extends OncePerRequestFilter implements Ordered {

	static final String HEADER = "X-Request-Id";

	static final String MDC_KEY = "request_id";

	private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	/** First of all filters, so every log line of the request, security included, carries the id. */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	/**
	 * A random (version 4) UUID from the thread's own generator: an id names a request, it guards nothing, so it
	 * needs no SecureRandom, whose shared state every request would otherwise contend for.
	 */
	static String newId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long high = (random.nextLong() & ~0xF000L) | 0x4000L;
		long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
		return new UUID(high, low).toString();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String sent = request.getHeader(HEADER);
		String id = sent != null && PLAIN.matcher(sent).matches() ? sent : newId();
		response.setHeader(HEADER, id);
		MDC.put(MDC_KEY, id);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove(MDC_KEY);
		}
	}

}
