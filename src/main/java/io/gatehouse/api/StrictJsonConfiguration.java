package io.gatehouse.api;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * JSON is read as written, or refused (400, see {@link JsonProblems}), by the rules of {@link StrictJson}. This is the
 * application's one JSON mapper, so the request bodies of every REST endpoint get it; the other readers (audit
 * records, token metadata) read back only what this mapper wrote.
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration {

	@Bean
	JsonMapperBuilderCustomizer strictJson() {
		return StrictJson::strict;
	}

}
