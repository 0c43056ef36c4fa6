package io.gatehouse.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real application in a child JVM, as an operator runs it: {@code io.gatehouse.GatehouseApplication} on the test
 * JVM's own classpath, started in a working directory of the test's choosing (so the default H2 file database lands
 * in {@code <directory>/data}), on a free port on 127.0.0.1, with the first super admin {@link #ADMIN_USERNAME} /
 * {@link #ADMIN_PASSWORD} bootstrapped through the environment. {@link #kill()} sends SIGKILL (on Linux,
 * {@link Process#destroyForcibly()}): no shutdown hook runs, nothing is flushed. {@link #start()} again (or
 * {@link #restart()}) starts a new process on the same directory and settings, on a new port. Environment variables
 * of the test JVM that would configure Gatehouse ({@code SPRING_*}, {@code SERVER_*}, {@code GATEHOUSE_*}, the
 * launcher's {@code JAVA_OPTS}) are not passed on; give a PostgreSQL URL and a key-encryption key with {@link #env}
 * to run several nodes on one database.
 *
 * <pre>
 * try (GatehouseProcess server = GatehouseProcess.in(dir).env("GATEHOUSE_ISSUER", "https://id.example").start()) {
 *     GatehouseHttp http = new GatehouseHttp(server.baseUri());
 *     ...
 *     server.restart();
 * }
 * </pre>
 *
 * The child's standard output and error go to {@code <directory>/gatehouse-<n>.log}, one file per start; a failed
 * start reports the end of that log.
 */
public final class GatehouseProcess implements AutoCloseable {

	public static final String ADMIN_USERNAME = "process-admin";

	public static final String ADMIN_PASSWORD = "process-admin-password";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

	private final Path directory;

	private final Map<String, String> environment = new LinkedHashMap<>();

	private final List<String> arguments = new ArrayList<>();

	private final List<String> jvmOptions = new ArrayList<>(
			List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k"));

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private Process process;

	private int port;

	private int managementPort;

	private int starts;

	private Path log;

	/** {@code bin/gatehouse} when the server starts through the launcher, else null (java with the test classpath). */
	private final Path launcher;

	private GatehouseProcess(Path directory, Path launcher) {
		this.directory = directory;
		this.launcher = launcher;
		environment.put("GATEHOUSE_ADMIN_USERNAME", ADMIN_USERNAME);
		environment.put("GATEHOUSE_ADMIN_PASSWORD", ADMIN_PASSWORD);
	}

	/** A server that will run in this working directory; nothing starts until {@link #start()}. */
	public static GatehouseProcess in(Path directory) {
		return new GatehouseProcess(directory, null);
	}

	/**
	 * A server started the README's production way: the {@code launcher} script ({@code bin/gatehouse}) with the
	 * packaged {@code jar}, its class-data archive kept in {@code cache}, and the JDK running the tests. The JVM
	 * options are the launcher's own ({@link #jvmOption} does not apply); the script execs java, so {@link #pid()} is
	 * the JVM's.
	 */
	public static GatehouseProcess throughLauncher(Path directory, Path launcher, Path jar, Path cache) {
		GatehouseProcess server = new GatehouseProcess(directory, launcher);
		server.environment.put("GATEHOUSE_JAR", jar.toString());
		server.environment.put("GATEHOUSE_CACHE", cache.toString());
		server.environment.put("JAVA", javaCommand());
		return server;
	}

	/** An environment variable for the child (overrides the admin defaults; {@code SERVER_PORT} is always set). */
	public GatehouseProcess env(String name, String value) {
		environment.put(name, value);
		return this;
	}

	/** A Spring property, passed as {@code --name=value}. */
	public GatehouseProcess property(String name, String value) {
		arguments.add("--" + name + "=" + value);
		return this;
	}

	/** An extra option for the child JVM, after the defaults (a small heap, serial GC, C1 only: quick to start). */
	public GatehouseProcess jvmOption(String option) {
		jvmOptions.add(option);
		return this;
	}

	/** Kills the running process, if any (SIGKILL, as {@link #kill()}), and starts a new one on the same directory. */
	public GatehouseProcess restart() {
		kill();
		return start();
	}

	/** Starts the child JVM and waits until it answers HTTP; fails with the end of its log if it does not. */
	public GatehouseProcess start() {
		if (isAlive()) {
			throw new IllegalStateException("Gatehouse is already running on port " + port);
		}
		int[] ports = freePorts();
		port = ports[0];
		managementPort = ports[1];
		starts++;
		log = directory.resolve("gatehouse-" + starts + ".log");
		List<String> command = new ArrayList<>();
		if (launcher != null) {
			command.add(launcher.toString());
		}
		else {
			command.add(javaCommand());
			command.addAll(jvmOptions);
			command.add("-cp");
			// under surefire this is its booter jar, whose manifest carries the whole test classpath
			command.add(System.getProperty("java.class.path"));
			command.add("io.gatehouse.GatehouseApplication");
		}
		command.add("--server.address=127.0.0.1");
		command.addAll(arguments);
		ProcessBuilder builder = builder(command, log);
		builder.environment().put("SERVER_PORT", String.valueOf(port));
		builder.environment().putIfAbsent("MANAGEMENT_SERVER_PORT", String.valueOf(managementPort));
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start a Java process", ex);
		}
		awaitReady();
		return this;
	}

	/**
	 * Runs the launcher once with {@code --prepare} (extract the jar and make the archive, then exit, as an image build
	 * would), with the same environment as {@link #start()}; fails with its output unless it succeeds within
	 * {@code timeout}.
	 */
	public GatehouseProcess prepare(Duration timeout) throws IOException, InterruptedException {
		if (launcher == null) {
			throw new IllegalStateException("Only a server started through the launcher is prepared");
		}
		Path output = directory.resolve("prepare.log");
		Process preparing = builder(List.of(launcher.toString(), "--prepare"), output).start();
		boolean finished = preparing.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
		if (!finished || preparing.exitValue() != 0) {
			preparing.destroyForcibly();
			throw new IllegalStateException((finished ? "--prepare failed with status " + preparing.exitValue()
					: "--prepare did not finish within " + timeout) + "; its output:\n" + Files.readString(output));
		}
		return this;
	}

	/** SIGKILL, as {@code kill -9}: the JVM gets no chance to flush or close anything. Waits until it is gone. */
	public void kill() {
		if (process != null) {
			process.destroyForcibly();
			waitForExit();
		}
	}

	/** SIGTERM: a normal shutdown, with Spring closing the database. Waits until it is gone. */
	public void stop() {
		if (process != null) {
			process.destroy();
			waitForExit();
		}
	}

	/** The operating system's id of the running (or last) process. */
	public long pid() {
		return process.pid();
	}

	public boolean isAlive() {
		return process != null && process.isAlive();
	}

	/** {@code http://127.0.0.1:<port>} of the running process. */
	public URI baseUri() {
		return URI.create("http://127.0.0.1:" + port);
	}

	/** {@code http://127.0.0.1:<management port>}: health, info and metrics of the running process. */
	public URI managementUri() {
		return URI.create("http://127.0.0.1:" + environment.getOrDefault("MANAGEMENT_SERVER_PORT",
				String.valueOf(managementPort)));
	}

	public Path directory() {
		return directory;
	}

	/** What the current (or last) process printed. */
	public String log() {
		try {
			return log == null || !Files.exists(log) ? "" : Files.readString(log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		kill();
	}

	private void awaitReady() {
		Instant deadline = Instant.now().plus(START_TIMEOUT);
		HttpRequest probe = HttpRequest.newBuilder(baseUri().resolve("/login")).timeout(Duration.ofSeconds(5)).build();
		while (Instant.now().isBefore(deadline)) {
			if (!process.isAlive()) {
				throw new IllegalStateException("Gatehouse exited with status " + process.exitValue()
						+ " while starting; its log ends:\n" + tail());
			}
			try {
				if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while Gatehouse was starting", ex);
			}
			sleep(200);
		}
		kill();
		throw new IllegalStateException("Gatehouse did not answer within " + START_TIMEOUT + "; its log ends:\n"
				+ tail());
	}

	private void waitForExit() {
		try {
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				process.waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private String tail() {
		String text = log();
		return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
	}

	/** The command in the working directory, its output to {@code output}, with this server's environment only. */
	private ProcessBuilder builder(List<String> command, Path output) {
		ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile());
		builder.environment().keySet().removeIf(name -> name.startsWith("SPRING_") || name.startsWith("SERVER_")
				|| name.startsWith("GATEHOUSE_") || name.startsWith("MANAGEMENT_") || name.startsWith("LOGGING_")
				|| name.equals("JAVA_OPTS"));
		builder.environment().putAll(environment);
		return builder;
	}

	private static String javaCommand() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/**
	 * Two free ports for the server and its management port. Both sockets are open at once: asked one after the
	 * other, the system can hand out the port it just freed again, and the management server then fails to bind
	 * (seen once in LauncherTests: the management server found the server's own port taken).
	 */
	private static int[] freePorts() {
		try (ServerSocket server = new ServerSocket(0); ServerSocket management = new ServerSocket(0)) {
			return new int[] { server.getLocalPort(), management.getLocalPort() };
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
