package io.gatehouse.provisioning;

import org.springframework.http.MediaType;

/** The two forms of a configuration document. */
enum ConfigFormat {

	JSON("JSON", MediaType.APPLICATION_JSON), YAML("YAML", MediaType.parseMediaType("application/yaml"));

	static final String YAML_TYPE = "application/yaml";

	private final String label;

	private final MediaType mediaType;

	ConfigFormat(String label, MediaType mediaType) {
		this.label = label;
		this.mediaType = mediaType;
	}

	String label() {
		return label;
	}

	MediaType mediaType() {
		return mediaType;
	}

	/** A document given without a declared format (a file): JSON when it starts with a brace, YAML otherwise. */
	static ConfigFormat sniff(String text) {
		return text.stripLeading().startsWith("{") ? JSON : YAML;
	}

}
