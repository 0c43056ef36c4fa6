package io.gatehouse.webhooks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver on 127.0.0.1 for tests: records every request (headers and raw body) and answers with the next
 * queued status (and body), 204 when none is queued.
 */
final class WebhookReceiver implements AutoCloseable {

	record Received(Map<String, String> headers, String body) {

		String header(String name) {
			return headers.get(name.toLowerCase(java.util.Locale.ROOT));
		}

	}

	private final HttpServer server;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final Queue<Integer> statuses = new ConcurrentLinkedQueue<>();

	private final Queue<String> failOnceWhenBodyContains = new ConcurrentLinkedQueue<>();

	private final Queue<byte[]> bodies = new ConcurrentLinkedQueue<>();

	WebhookReceiver() throws IOException {
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/hook", exchange -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			Map<String, String> headers = new java.util.HashMap<>();
			exchange.getRequestHeaders()
				.forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
			received.add(new Received(headers, new String(body, StandardCharsets.UTF_8)));
			String text = new String(body, StandardCharsets.UTF_8);
			Integer status = failOnceWhenBodyContains.removeIf(text::contains) ? Integer.valueOf(500)
					: statuses.poll();
			byte[] answer = status == null ? null : bodies.poll();
			if (answer == null || answer.length == 0) {
				exchange.sendResponseHeaders(status == null ? 204 : status, -1);
			}
			else {
				exchange.sendResponseHeaders(status, answer.length);
				exchange.getResponseBody().write(answer);
			}
			exchange.close();
		});
		server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
		server.start();
	}

	String url() {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
	}

	/** The next requests are answered with these statuses, in order. */
	void answer(Integer... next) {
		statuses.addAll(List.of(next));
	}

	/** The next request is answered with this status and body. */
	void answer(int status, byte[] body) {
		bodies.add(body);
		statuses.add(status);
	}

	/** The first request whose body contains {@code fragment} is answered 500, whatever else arrives first. */
	void failOnceWhenBodyContains(String fragment) {
		failOnceWhenBodyContains.add(fragment);
	}

	List<Received> received() {
		return List.copyOf(received);
	}

	@Override
	public void close() {
		server.stop(0);
	}

}
