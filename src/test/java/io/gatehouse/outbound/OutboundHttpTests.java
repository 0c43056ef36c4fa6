package io.gatehouse.outbound;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class OutboundHttpTests {

	private HttpServer server;

	private final List<String> requests = new CopyOnWriteArrayList<>();

	private final List<String> hostHeaders = new CopyOnWriteArrayList<>();

	private final List<OutboundHttp> clients = new CopyOnWriteArrayList<>();

	@BeforeEach
	void startServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/", exchange -> {
			this.requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
			this.hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
			byte[] request = exchange.getRequestBody().readAllBytes();
			String path = exchange.getRequestURI().getPath();
			byte[] body;
			switch (path) {
				case "/redirect" -> {
					exchange.getResponseHeaders().add("Location", url("/target").toString());
					exchange.sendResponseHeaders(302, -1);
					exchange.close();
					return;
				}
				case "/large" -> body = "x".repeat(100).getBytes(StandardCharsets.UTF_8);
				case "/echo" -> body = (exchange.getRequestHeaders().getFirst("X-Signature") + " "
						+ exchange.getRequestHeaders().getFirst("Content-Type") + " "
						+ new String(request, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
				default -> body = "{\"keys\":[]}".getBytes(StandardCharsets.UTF_8);
			}
			// "/chunked" leaves the length out, so the body arrives chunked and only counting stops it
			exchange.sendResponseHeaders(200, path.startsWith("/chunked") ? 0 : body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(path.equals("/chunked") ? "y".repeat(100).getBytes(StandardCharsets.UTF_8) : body);
			}
		});
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.clients.forEach(OutboundHttp::destroy);
		this.server.stop(0);
	}

	@Test
	void sendWhenLoopbackHttpAndPrivateTargetsAllowedThenResponse() {
		OutboundResponse response = http(true).send(OutboundRequest.get(url("/jwks")));

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.bodyAsString()).isEqualTo("{\"keys\":[]}");
		assertThat(this.requests).containsExactly("GET /jwks");
	}

	@Test
	void sendWhenPlainHttpToAnotherHostThenRefusedAsHttpsRequired() {
		assertThatExceptionOfType(OutboundException.class)
			.isThrownBy(() -> http(true).send(OutboundRequest.get(URI.create("http://jwks.example.com/keys"))))
			.satisfies(refused -> assertThat(refused.reason()).isEqualTo(OutboundException.Reason.REFUSED))
			.withMessage("jwks.example.com: outbound calls use https; plain http only to loopback");
	}

	@Test
	void sendWhenNotHttpAtAllThenRefused() {
		assertThatExceptionOfType(OutboundException.class)
			.isThrownBy(() -> http(true).send(OutboundRequest.get(URI.create("ftp://jwks.example.com/keys"))))
			.withMessage("jwks.example.com: outbound calls use https");
	}

	@Test
	void sendWhenLoopbackHttpAndPrivateTargetsNotAllowedThenRefusedAndNothingSent() {
		assertThatExceptionOfType(OutboundException.class)
			.isThrownBy(() -> http(false).send(OutboundRequest.get(url("/jwks"))))
			.satisfies(refused -> assertThat(refused.reason()).isEqualTo(OutboundException.Reason.REFUSED))
			.withMessageContaining("GATEHOUSE_OUTBOUND_ALLOW_PRIVATE=true");
		assertThat(this.requests).isEmpty();
	}

	@ParameterizedTest
	@CsvSource({ "127.0.0.1, a loopback address", "localhost, a loopback address", "[::1], a loopback address",
			"10.1.2.3, a private address", "172.16.0.1, a private address", "172.31.255.254, a private address",
			"192.168.1.1, a private address", "[fd00::1], a private address", "[fc00::1], a private address",
			"169.254.169.254, a link-local address", "[fe80::1], a link-local address",
			"100.64.0.1, a shared (CGNAT, 100.64.0.0/10) address",
			"100.127.255.254, a shared (CGNAT, 100.64.0.0/10) address", "0.0.0.0, the unspecified address",
			"[::], the unspecified address", "0.1.2.3, the unspecified address", "224.0.0.1, a multicast address",
			"[ff02::1], a multicast address", "255.255.255.255, a reserved address",
			"[::ffff:10.0.0.1], a private address", "[::10.0.0.1], a private address",
			"[64:ff9b::a9fe:a9fe], a link-local address" })
	void sendWhenHttpsHostResolvesToForbiddenAddressThenRefusedNamingTheRule(String host, String rule) {
		assertThatExceptionOfType(OutboundException.class)
			.isThrownBy(() -> http(false).send(OutboundRequest.get(URI.create("https://" + host + "/jwks?k=v"))))
			.satisfies(refused -> assertThat(refused.reason()).isEqualTo(OutboundException.Reason.REFUSED))
			.withMessageContaining(" resolves to " + rule)
			.withMessageNotContaining("k=v");
	}

	@ParameterizedTest
	@CsvSource({ "0.0.0.0, the unspecified address", "224.0.0.1, a multicast address",
			"240.0.0.1, a reserved address" })
	void sendWhenPrivateTargetsAllowedAndAddressIsNoHttpServerThenStillRefused(String host, String rule) {
		assertThatExceptionOfType(OutboundException.class)
			.isThrownBy(() -> http(true).send(OutboundRequest.get(URI.create("https://" + host + "/jwks"))))
			.withMessageContaining(" resolves to " + rule)
			.withMessageNotContaining("GATEHOUSE_OUTBOUND_ALLOW_PRIVATE");
	}

	@Test
	void sendWhenNameResolvesToPublicAndPrivateAddressesThenRefused() {
		OutboundHttp http = http(false, host -> new InetAddress[] { InetAddress.getByName("93.184.215.14"),
				InetAddress.getByName("10.0.0.7") });

		assertThatExceptionOfType(OutboundException.class)
			.isThrownBy(() -> http.send(OutboundRequest.get(URI.create("https://jwks.example.com/keys"))))
			.withMessageStartingWith("jwks.example.com resolves to a private address (10.0.0.7)");
	}

	@Test
	void sendWhenNameResolvedThenConnectsToTheCheckedAddressWithTheNameAsHostAndNoSecondLookup() {
		AtomicInteger lookups = new AtomicInteger();
		// a rebinding name: the first answer is checked and used; a second lookup would give an address that fails
		OutboundHttp http = http(true, host -> new InetAddress[] { InetAddress.getByName(
				lookups.getAndIncrement() == 0 ? "127.0.0.1" : "10.255.255.1") });
		URI url = URI.create("http://jwks.localhost:" + this.server.getAddress().getPort() + "/jwks");

		OutboundResponse response = http.send(OutboundRequest.get(url));

		assertThat(response.status()).isEqualTo(200);
		assertThat(this.hostHeaders).containsExactly("jwks.localhost:" + this.server.getAddress().getPort());
		assertThat(lookups).hasValue(1);
	}

	@Test
	void sendWhenRedirectedThenRedirectReturnedAndNotFollowed() {
		OutboundResponse response = http(true).send(OutboundRequest.get(url("/redirect")));

		assertThat(response.status()).isEqualTo(302);
		assertThat(response.successful()).isFalse();
		assertThat(response.header("Location")).isEqualTo(url("/target").toString());
		assertThat(this.requests).containsExactly("GET /redirect");
	}

	@Test
	void sendWhenBodyLongerThanLimitThenTooLarge() {
		assertThatExceptionOfType(OutboundException.class)
			.isThrownBy(() -> http(true).send(OutboundRequest.get(url("/large")).maxResponseBytes(99)))
			.satisfies(large -> assertThat(large.reason()).isEqualTo(OutboundException.Reason.TOO_LARGE))
			.withMessage("127.0.0.1 answered with more than 99 bytes, the limit of this call");
	}

	@Test
	void sendWhenDeclaredLengthOverLimitThenTooLargeWithoutReadingTheBody() throws IOException {
		try (ServerSocket huge = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			daemon(() -> {
				try (Socket accepted = huge.accept(); OutputStream out = accepted.getOutputStream()) {
					out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n"
						.getBytes(StandardCharsets.US_ASCII));
					for (int i = 0; i < 100; i++) {
						out.write(new byte[1000]);
						out.flush();
						Thread.sleep(100);
					}
				}
				catch (IOException | InterruptedException ended) {
					// the client gave up
				}
			});
			OutboundHttp http = http(true);
			long start = System.nanoTime();

			assertThatExceptionOfType(OutboundException.class)
				.isThrownBy(() -> http.send(
						OutboundRequest.get(URI.create("http://127.0.0.1:" + huge.getLocalPort() + "/jwks"))))
				.satisfies(large -> assertThat(large.reason()).isEqualTo(OutboundException.Reason.TOO_LARGE));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		}
	}

	@Test
	void sendWhenChunkedBodyLongerThanLimitThenTooLarge() {
		assertThatExceptionOfType(OutboundException.class)
			.isThrownBy(() -> http(true).send(OutboundRequest.get(url("/chunked")).maxResponseBytes(50)))
			.satisfies(large -> assertThat(large.reason()).isEqualTo(OutboundException.Reason.TOO_LARGE));
	}

	@Test
	void sendWhenBodyExactlyTheLimitThenResponse() {
		assertThat(http(true).send(OutboundRequest.get(url("/large")).maxResponseBytes(100)).body()).hasSize(100);
	}

	@Test
	void sendWhenServerStallsThenTimeoutWithinTheReadTimeout() throws IOException {
		try (ServerSocket stalling = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			Thread accepting = daemon(() -> {
				try (Socket accepted = stalling.accept()) {
					Thread.sleep(5_000);
				}
				catch (IOException | InterruptedException ended) {
					// the test is over
				}
			});
			long start = System.nanoTime();

			assertThatExceptionOfType(OutboundException.class)
				.isThrownBy(() -> http(true).send(OutboundRequest
					.get(URI.create("http://127.0.0.1:" + stalling.getLocalPort() + "/jwks"))))
				.satisfies(late -> assertThat(late.reason()).isEqualTo(OutboundException.Reason.TIMEOUT))
				.withMessage("127.0.0.1 did not answer in time (connect or read timeout)");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
			accepting.interrupt();
		}
	}

	@Test
	void sendWhenServerSendsTheBodySlowlyThenTimeoutOnceTheReadTimeoutPassed() throws IOException {
		try (ServerSocket dripping = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			daemon(() -> {
				try (Socket accepted = dripping.accept(); OutputStream out = accepted.getOutputStream()) {
					out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
					for (int i = 0; i < 100; i++) {
						out.write('x');
						out.flush();
						Thread.sleep(100);
					}
				}
				catch (IOException | InterruptedException ended) {
					// the client gave up
				}
			});
			OutboundHttp http = http(true);
			long start = System.nanoTime();

			assertThatExceptionOfType(OutboundException.class)
				.isThrownBy(() -> http.send(OutboundRequest
					.get(URI.create("http://127.0.0.1:" + dripping.getLocalPort() + "/jwks"))))
				.satisfies(late -> assertThat(late.reason()).isEqualTo(OutboundException.Reason.TIMEOUT))
				.withMessage("127.0.0.1 did not send its answer within 500 ms");
			// the connection is dropped, not drained: the rest of the body would take another 9 s
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		}
	}

	@Test
	void sendWhenConnectionRefusedThenFailedNamingOnlyTheHost() throws IOException {
		int closedPort;
		try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = closed.getLocalPort();
		}

		assertThatExceptionOfType(OutboundException.class)
			.isThrownBy(() -> http(true).send(OutboundRequest
				.get(URI.create("http://127.0.0.1:" + closedPort + "/hook?token=s3cr3t"))
				.header("Authorization", "Bearer s3cr3t")))
			.satisfies(failed -> assertThat(failed.reason()).isEqualTo(OutboundException.Reason.FAILED))
			.withMessage("127.0.0.1: the connection was refused");
	}

	@Test
	void sendWhenCredentialsInTheUrlThenRefusedWithoutThem() {
		assertThatExceptionOfType(OutboundException.class)
			.isThrownBy(() -> http(true).send(OutboundRequest.get(URI.create("https://me:s3cr3t@example.com/"))))
			.withMessage("example.com: a URL with credentials in it is not called");
	}

	@Test
	void sendWhenPostThenBodyContentTypeAndHeadersSent() {
		OutboundResponse response = http(true).send(OutboundRequest
			.post(url("/echo"), "application/json", "{\"event\":1}".getBytes(StandardCharsets.UTF_8))
			.header("X-Signature", "sig"));

		assertThat(response.bodyAsString()).isEqualTo("sig application/json {\"event\":1}");
		assertThat(this.requests).containsExactly("POST /echo");
	}

	@Test
	void settingsWhenTimeoutNotPositiveThenStartupMessageNamesTheVariable() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new OutboundSettings(false, Duration.ZERO, Duration.ofSeconds(3)))
			.withMessageStartingWith("GATEHOUSE_OUTBOUND_CONNECT_TIMEOUT is PT0S");
		assertThatIllegalStateException()
			.isThrownBy(() -> new OutboundSettings(false, Duration.ofSeconds(2), Duration.ofMinutes(5)))
			.withMessageStartingWith("GATEHOUSE_OUTBOUND_READ_TIMEOUT is PT5M");
	}

	private static Thread daemon(Runnable task) {
		Thread thread = new Thread(task);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private URI url(String path) {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + path);
	}

	private OutboundHttp http(boolean allowPrivate) {
		return http(allowPrivate, InetAddress::getAllByName);
	}

	private OutboundHttp http(boolean allowPrivate, CheckingDnsResolver.HostLookup lookup) {
		OutboundHttp http = new OutboundHttp(
				new OutboundSettings(allowPrivate, Duration.ofMillis(500), Duration.ofMillis(500)), lookup);
		this.clients.add(http);
		return http;
	}

}
