package io.gatehouse.api;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps API request bodies: a declared length over the cap is refused with 413 before anything is read, and a
 * chunked body that grows past it fails while being read (the handler turns that into 413 too). A configuration
 * document ({@value #CONFIG_PATH}) may be larger: it holds every client, about 300 bytes each.
 */
@Component
class RequestBodyLimitFilter extends OncePerRequestFilter {

	static final int MAX_BODY_BYTES = 256 * 1024;

	/** Enough for a configuration document of 100,000 clients. */
	static final int MAX_CONFIG_BODY_BYTES = 64 * 1024 * 1024;

	static final String CONFIG_PATH = "/api/1.0/config";

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/api/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long max = CONFIG_PATH.equals(request.getRequestURI()) ? MAX_CONFIG_BODY_BYTES : MAX_BODY_BYTES;
		if (request.getContentLengthLong() > max) {
			ProblemResponses.write(response, HttpStatus.CONTENT_TOO_LARGE,
					new RequestTooLargeException(max).getMessage());
			return;
		}
		chain.doFilter(new LimitedRequest(request, max), response);
	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long max;

		private LimitedServletInputStream stream;

		LimitedRequest(HttpServletRequest request, long max) {
			super(request);
			this.max = max;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (stream == null) {
				stream = new LimitedServletInputStream(super.getInputStream(), max);
			}
			return stream;
		}

	}

	private static final class LimitedServletInputStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long max;

		private long read;

		LimitedServletInputStream(ServletInputStream delegate, long max) {
			this.delegate = delegate;
			this.max = max;
		}

		@Override
		public int read() throws IOException {
			int b = delegate.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = delegate.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws IOException {
			read += n;
			if (read > max) {
				throw new RequestTooLargeException(max);
			}
		}

		@Override
		public boolean isFinished() {
			return delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			delegate.setReadListener(listener);
		}

	}

}
