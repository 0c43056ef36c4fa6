package io.gatehouse.provisioning;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.gatehouse.api.ConflictException;
import io.gatehouse.api.ForbiddenException;
import io.gatehouse.api.UnreadableDocumentException;
import io.gatehouse.signin.SystemActor;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar gatehouse.jar config export > gatehouse.yaml} and
 * {@code java -jar gatehouse.jar config apply gatehouse.yaml [--dry-run] [--prune]}: the REST API's export and
 * apply, run on the configured database without starting a server (no port is opened). The command acts as the
 * system actor {@value #ACTOR} with every permission, since whoever runs it holds the database's credentials anyway;
 * the audit log names it. The document goes to standard output; logs, progress and errors to standard error.
 * Exit status: 0 done (or nothing to do), 1 the document was refused and nothing was written, 2 a usage error, an
 * unreadable file, or a server that cannot start.
 */
public final class ConfigCommand {

	/** How the audit log names changes made by the command line. */
	static final String ACTOR = "config-cli";

	static final int OK = 0;

	static final int REFUSED = 1;

	static final int FAILED = 2;

	private static final String USAGE = """
			Usage: java -jar gatehouse.jar config export [--json]
			       java -jar gatehouse.jar config apply <file> [--dry-run] [--prune]
			""";

	private ConfigCommand() {
	}

	/** Whether these command-line arguments ask for this command ({@code config ...}). */
	public static boolean handles(String[] args) {
		return args.length > 0 && "config".equals(args[0]);
	}

	/** Runs the command and returns its exit status; the application's own configuration picks the database. */
	public static int run(Class<?> application, String[] args) {
		PrintStream out = System.out;
		PrintStream err = System.err;
		List<String> words = new ArrayList<>(List.of(args).subList(1, args.length));
		// Spring Boot's own --name=value arguments configure the run, as they do the server
		List<String> settings = words.stream().filter(word -> word.startsWith("--") && word.contains("=")).toList();
		words.removeAll(settings);
		boolean export = !words.isEmpty() && words.get(0).equals("export");
		boolean apply = !words.isEmpty() && words.get(0).equals("apply");
		boolean json = words.remove("--json");
		boolean dryRun = words.remove("--dry-run");
		boolean prune = words.remove("--prune");
		if (!(export && words.size() == 1 && !dryRun && !prune) && !(apply && words.size() == 2 && !json)) {
			err.print(USAGE);
			return FAILED;
		}
		ConfigDocuments documents = new ConfigDocuments();
		ConfigDocument document = null;
		if (apply) {
			String text;
			try {
				text = Files.readString(Path.of(words.get(1)), StandardCharsets.UTF_8);
			}
			catch (IOException | RuntimeException ex) {
				err.println("Cannot read " + words.get(1) + ": " + ex.getMessage());
				return FAILED;
			}
			// a document out of shape is refused before the server starts
			try {
				document = documents.read(text, ConfigFormat.sniff(text));
				ConfigShape.check(document);
			}
			catch (UnreadableDocumentException | InvalidConfigException ex) {
				err.println("Refused, nothing was written: " + ex.getMessage());
				return REFUSED;
			}
		}
		// Spring Boot logs to standard output: send it to standard error, which keeps the document clean
		System.setOut(err);
		ConfigurableApplicationContext context;
		try {
			context = start(application, settings);
		}
		catch (RuntimeException ex) {
			System.setOut(out);
			err.println("Gatehouse could not start: " + ex.getMessage());
			return FAILED;
		}
		try (context) {
			if (document != null) {
				return apply(context.getBean(ConfigApplier.class), document, dryRun, prune, out, err);
			}
			ConfigDocument exported = SystemActor.runAs(ACTOR, () -> context.getBean(ConfigExporter.class).export());
			out.print(documents.write(exported, json ? ConfigFormat.JSON : ConfigFormat.YAML));
			out.flush();
			return OK;
		}
		catch (RuntimeException ex) {
			err.println("Failed, nothing was written: " + ex.getMessage());
			return FAILED;
		}
		finally {
			System.setOut(out);
		}
	}

	private static int apply(ConfigApplier applier, ConfigDocument document, boolean dryRun, boolean prune,
			PrintStream out, PrintStream err) {
		ConfigReport report;
		try {
			report = SystemActor.runAs(ACTOR, () -> applier.apply(document, dryRun, prune,
					(done, total) -> err.println("clients: " + done + "/" + total)));
		}
		catch (InvalidConfigException | ForbiddenException | ConflictException ex) {
			err.println("Refused, nothing was written: " + ex.getMessage());
			return REFUSED;
		}
		out.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
			.writeValueAsString(report));
		out.flush();
		err.println((dryRun ? "Dry run, nothing written: would have " : "Applied: ") + report.created() + " created, "
				+ report.updated() + " updated, " + report.deleted() + " deleted, " + report.unchanged()
				+ " unchanged.");
		return OK;
	}

	private static ConfigurableApplicationContext start(Class<?> application, List<String> settings) {
		// the application as the server builds it, but with no port: its web beans exist (the session store, the
		// security chains), nothing listens
		// (as command-line arguments, which win over every other source of settings)
		List<String> arguments = new ArrayList<>(settings);
		arguments.addAll(List.of("--server.port=-1", "--management.server.port=-1"));
		if (settings.stream().noneMatch(setting -> setting.startsWith("--logging.level.root="))) {
			// the command's own lines, not the server's start-up log; warnings and errors still show
			arguments.add("--logging.level.root=WARN");
		}
		return new SpringApplicationBuilder(application).bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.run(arguments.toArray(String[]::new));
	}

}
