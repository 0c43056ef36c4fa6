package io.gatehouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;
import org.springframework.modulith.docs.Documenter.CanvasOptions;
import org.springframework.modulith.docs.Documenter.DiagramOptions;
import org.springframework.modulith.docs.Documenter.DiagramOptions.ElementsWithoutRelationships;
import org.springframework.modulith.docs.Documenter.Options;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every direct sub-package of {@code io.gatehouse} is a module; its public types in the base package are its API,
 * everything else is internal. Each module's {@code package-info.java} declares the modules it may depend on
 * ({@code @ApplicationModule(allowedDependencies = ...)}), so the build fails on a dependency the design does not
 * allow, as well as on a cycle or a reach into another module's internals. Writes the module documentation (the
 * component diagram, one diagram and one canvas per module) to {@code docs/modules}, which the README links.
 */
class ModularityTests {

	/** Every module, as the README's design section lists them. Adding or renaming one means updating both. */
	static final String[] MODULES = { "accounts", "api", "audit", "clients", "cluster", "config", "consent", "database",
			"oauth", "operations", "outbound", "personaltokens", "provisioning", "registration", "secrets", "signin",
			"signing", "usage", "dashboard", "web", "webhooks" };

	private static final ApplicationModules modules = ApplicationModules.of(GatehouseApplication.class);

	@Test
	void verifyWhenModulesUseOnlyTheirAllowedDependenciesThenNoViolations() {
		modules.verify();
	}

	@Test
	void modulesWhenScannedThenExactlyTheDocumentedOnes() {
		assertThat(modules.stream().map(module -> module.getIdentifier().toString()))
			.containsExactlyInAnyOrder(MODULES);
	}

	@Test
	void modulesWhenScannedThenEachDeclaresItsAllowedDependencies() {
		modules.forEach(module -> assertThat(module.getBasePackage().toSingle().getAnnotation(
				org.springframework.modulith.ApplicationModule.class))
			.as("@ApplicationModule(allowedDependencies = ...) in %s's package-info.java", module.getIdentifier())
			.hasValueSatisfying(declared -> assertThat(declared.allowedDependencies())
				.doesNotContain(org.springframework.modulith.ApplicationModule.OPEN_TOKEN)));
	}

	@Test
	void configWhenScannedThenNoModuleDependsOnIt() {
		ApplicationModule config = modules.getModuleByName("config").orElseThrow();
		modules.stream()
			.filter(module -> !module.equals(config))
			.forEach(module -> assertThat(module.getDirectDependencies(modules).contains(config))
				.as("%s depends on config", module.getIdentifier())
				.isFalse());
	}

	@Test
	void writeDocumentationWhenBuildingThenDiagramAndCanvasOfEveryModule() throws IOException {
		Path output = Path.of("docs", "modules");
		new Documenter(modules, Options.defaults().withOutputFolder(output.toString()))
			.writeModulesAsPlantUml(
					DiagramOptions.defaults().withElementsWithoutRelationships(ElementsWithoutRelationships.VISIBLE))
			.writeIndividualModulesAsPlantUml()
			.writeModuleCanvases(CanvasOptions.defaults());

		try (Stream<Path> files = Files.list(output)) {
			for (Path diagram : files.filter(file -> file.toString().endsWith(".puml")).toList()) {
				sortRelations(diagram);
			}
		}

		String diagram = Files.readString(output.resolve("components.puml"));
		modules.forEach(module -> {
			assertThat(diagram).contains("\"" + module.getDisplayName() + "\"");
			assertThat(output.resolve("module-" + module.getIdentifier() + ".puml")).exists();
			assertThat(output.resolve("module-" + module.getIdentifier() + ".adoc")).exists();
		});
	}

	/**
	 * Modulith writes a diagram's relations in an order that can change from one run to the next; in name order, the
	 * committed files change only when the modules do.
	 */
	private static void sortRelations(Path diagram) throws IOException {
		List<String> lines = new ArrayList<>(Files.readAllLines(diagram));
		List<Integer> relations = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).startsWith("Rel(")) {
				relations.add(i);
			}
		}
		List<String> sorted = relations.stream().map(lines::get).sorted().toList();
		for (int i = 0; i < relations.size(); i++) {
			lines.set(relations.get(i), sorted.get(i));
		}
		Files.write(diagram, lines);
	}

}
