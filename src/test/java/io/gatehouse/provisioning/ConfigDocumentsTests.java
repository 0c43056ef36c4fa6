package io.gatehouse.provisioning;

import java.util.List;

import io.gatehouse.api.UnreadableDocumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigDocumentsTests {

	private final ConfigDocuments documents = new ConfigDocuments();

	/** Names a YAML reader would take for numbers, booleans, nulls or syntax, unless written quoted. */
	private static final List<String> AWKWARD = List.of("2024", "1e3", "0x1F", "-1", "1.5", "true", "False", "yes",
			"no", "on", "off", "null", "~", "- dash", "a: colon", "#hash", "quote \" and ' both", " leading space",
			"Zoë 名前 🔑", "line\nbreak", "");

	@ParameterizedTest
	@EnumSource(ConfigFormat.class)
	void writeWhenNamesLookLikeOtherTypesThenReadBackAsTheSameStrings(ConfigFormat format) {
		List<ConfigDocument.Group> groups = AWKWARD.stream()
			.map(name -> new ConfigDocument.Group(name, name, List.of()))
			.toList();
		ConfigDocument document = new ConfigDocument(1, List.of(), groups);

		String text = documents.write(document, format);

		assertThat(documents.read(text, format)).isEqualTo(document);
		assertThat(ConfigFormat.sniff(text)).isEqualTo(format);
	}

	@Test
	void readWhenYamlValueHasTheWrongTypeThenRefusedNamingTheField() {
		assertThatThrownBy(() -> documents.read("version: 1\ngroups:\n- name: 2024\n", ConfigFormat.YAML))
			.isInstanceOf(UnreadableDocumentException.class)
			.hasMessage("The groups.0.name field must be a string.");
		assertThatThrownBy(() -> documents.read("version: 1\nversion: 1\n", ConfigFormat.YAML))
			.hasMessage("The version field appears more than once.");
		assertThatThrownBy(() -> documents.read("- a\n- b\n", ConfigFormat.YAML))
			.hasMessage("The document must be a YAML object.");
	}

}
