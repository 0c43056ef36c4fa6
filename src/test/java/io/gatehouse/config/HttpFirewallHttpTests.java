package io.gatehouse.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.gatehouse.support.GatehouseHttpTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The firewall over raw HTTP (a Java HTTP client refuses to send such bytes): a header value with a C1 control
 * character, which Tomcat passes on as ISO-8859-1 text, is still refused with a 400 once the application reads it,
 * while a plain bad token is a 401. And Spring Security's per-filter observations are off.
 */
@GatehouseHttpTest
class HttpFirewallHttpTests {

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@Test
	void apiWhenBearerTokenHasControlCharacterThen400() throws IOException {
		assertThat(statusLine("Bearer abc\u0085def")).contains(" 400 ");
	}

	@Test
	void apiWhenBearerTokenPlainButUnknownThen401() throws IOException {
		assertThat(statusLine("Bearer abcdef")).contains(" 401 ");
	}

	@Test
	void requestWhenServedThenNoSpringSecurityObservationTimers() throws IOException {
		statusLine("Bearer abcdef");

		assertThat(meters.find("spring.security.filterchains").meters()).isEmpty();
		assertThat(meters.find("spring.security.authorizations").meters()).isEmpty();
	}

	private String statusLine(String authorization) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			OutputStream out = socket.getOutputStream();
			out.write(("GET /api/1.0/auth-clients HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + authorization
					+ "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
			return answer.lines().findFirst().orElse("");
		}
	}

}
