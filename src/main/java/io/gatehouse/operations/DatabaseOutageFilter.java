package io.gatehouse.operations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.gatehouse.database.DatabaseOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 503 with Retry-After, instead of the container's 500, for a request that failed because the database could
 * not be reached (a PostgreSQL restart, a failover, the pool out of connections): the token endpoint, the other OAuth
 * endpoints and the console, whose failures otherwise leave Spring's filters as exceptions. The OAuth endpoints get
 * RFC 6749's {@code temporarily_unavailable} error in their JSON; a console page a short plain text. The REST API
 * answers the same 503 as a problem document itself (its exception handler).
 */
@Component
final class DatabaseOutageFilter extends OncePerRequestFilter implements Ordered {

	private static final Logger log = LoggerFactory.getLogger(DatabaseOutageFilter.class);

	/** After the request id and the query-string mask, before everything that can reach the database. */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 2;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (ServletException | RuntimeException ex) {
			if (!DatabaseOutage.causedBy(ex) || response.isCommitted()) {
				throw ex;
			}
			// the connection's error, not the request's: its message names the server, never a credential
			log.warn("Database unreachable, answered 503: {}", ex.getMessage());
			unavailable(request, response);
		}
	}

	private static void unavailable(HttpServletRequest request, HttpServletResponse response) throws IOException {
		response.reset();
		response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(DatabaseOutage.RETRY_AFTER.toSeconds()));
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		if (request.getRequestURI().startsWith(request.getContextPath() + "/oauth/")) {
			response.setContentType("application/json");
			response.getWriter().write("{\"error\":\"temporarily_unavailable\",\"error_description\":"
					+ "\"The database is not reachable just now; try again shortly.\"}");
		}
		else {
			response.setContentType("text/plain");
			response.getWriter().write("Gatehouse cannot reach its database just now. Try again in a few seconds.");
		}
	}

}
