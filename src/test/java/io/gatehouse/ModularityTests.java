package io.gatehouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;
import org.springframework.modulith.docs.Documenter.DiagramOptions;
import org.springframework.modulith.docs.Documenter.DiagramOptions.ElementsWithoutRelationships;
import org.springframework.modulith.docs.Documenter.Options;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every direct sub-package of {@code io.gatehouse} is a module; its public types in the base package are its API,
 * everything else is internal. Fails the build on a dependency cycle between modules or a reach into another module's
 * internals. Also writes the module diagrams (PlantUML) to {@code target/spring-modulith-docs}.
 */
class ModularityTests {

	private static final ApplicationModules modules = ApplicationModules.of(GatehouseApplication.class);

	@Test
	void verifyWhenModulesUseOnlyEachOthersApiThenNoViolations() {
		modules.verify();
	}

	@Test
	void modulesWhenScannedThenEveryDirectSubPackageIsAModule() {
		assertThat(modules.stream().map(module -> module.getBasePackage().getName()))
			.contains("io.gatehouse.accounts", "io.gatehouse.api", "io.gatehouse.audit", "io.gatehouse.config",
					"io.gatehouse.cluster", "io.gatehouse.database", "io.gatehouse.tokens", "io.gatehouse.web");
	}

	@Test
	void writeDocumentationWhenBuildingThenDiagramNamesEveryModule() throws IOException {
		Path output = Path.of("target", "spring-modulith-docs");
		Documenter documenter = new Documenter(modules, Options.defaults().withOutputFolder(output.toString()));
		documenter.writeModulesAsPlantUml(
				DiagramOptions.defaults().withElementsWithoutRelationships(ElementsWithoutRelationships.VISIBLE))
			.writeIndividualModulesAsPlantUml();

		String diagram = Files.readString(output.resolve("components.puml"));
		modules.forEach(module -> assertThat(diagram).contains("\"" + module.getDisplayName() + "\""));
	}

}
