package io.gatehouse.provisioning;

import io.gatehouse.api.StrictJson;
import io.gatehouse.api.UnreadableDocumentException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

import org.springframework.stereotype.Component;

/**
 * Reads and writes configuration documents, as JSON or YAML, with the REST API's strict rules for both
 * ({@link StrictJson}: no coercion, no unknown or repeated fields, nothing after the document). A YAML name that
 * would read as a number or a boolean must be quoted ({@code name: "2024"}); export quotes every string.
 */
@Component
class ConfigDocuments {

	private final ObjectMapper json = StrictJson.strict(JsonMapper.builder())
		.enable(SerializationFeature.INDENT_OUTPUT)
		.build();

	private final ObjectMapper yaml = StrictJson.strict(YAMLMapper.builder())
		.disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
		// every string quoted: unquoted, YAML would read names such as 2024, 1e3, yes or ~ as other types
		.disable(YAMLWriteFeature.MINIMIZE_QUOTES)
		.build();

	/** @throws UnreadableDocumentException (400) naming the field to blame, when the document cannot be read */
	ConfigDocument read(String text, ConfigFormat format) {
		try {
			ConfigDocument document = mapper(format).readValue(text, ConfigDocument.class);
			if (document == null) {
				throw new UnreadableDocumentException(format.label(), null);
			}
			return document;
		}
		catch (JacksonException ex) {
			throw new UnreadableDocumentException(format.label(), ex);
		}
	}

	String write(ConfigDocument document, ConfigFormat format) {
		String text = mapper(format).writeValueAsString(document);
		return text.endsWith("\n") ? text : text + "\n";
	}

	private ObjectMapper mapper(ConfigFormat format) {
		return format == ConfigFormat.JSON ? json : yaml;
	}

}
