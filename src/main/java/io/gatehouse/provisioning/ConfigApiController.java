package io.gatehouse.provisioning;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/1.0/config}: the configuration document, exported and applied. Both need to see clients, groups and
 * users ({@code view-auth_clients}, {@code view-groups}, {@code view-users}), because the document shows what
 * every service account holds; applying also needs the permission of each change it makes.
 */
@RestController
@RequestMapping("/api/1.0/config")
@Tag(name = "Configuration", description = "Clients, groups and service accounts as one document (YAML or JSON)")
class ConfigApiController {

	private static final String VIEW_ALL = "hasAuthority('view-auth_clients') and hasAuthority('view-groups')"
			+ " and hasAuthority('view-users')";

	private final ConfigExporter exporter;

	private final ConfigApplier applier;

	private final ConfigDocuments documents;

	ConfigApiController(ConfigExporter exporter, ConfigApplier applier, ConfigDocuments documents) {
		this.exporter = exporter;
		this.applier = applier;
		this.documents = documents;
	}

	@GetMapping(produces = { MediaType.APPLICATION_JSON_VALUE, ConfigFormat.YAML_TYPE })
	@PreAuthorize(VIEW_ALL)
	@Operation(summary = "Export the configuration",
			description = "Every live client (never a secret), every group with its permissions, and what each "
					+ "client's service account holds; in a stable order, so exports diff cleanly. JSON, or YAML "
					+ "with Accept: application/yaml.",
			responses = @ApiResponse(responseCode = "200", content = {
					@Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							schema = @Schema(implementation = ConfigDocument.class)),
					@Content(mediaType = ConfigFormat.YAML_TYPE,
							schema = @Schema(implementation = ConfigDocument.class)) }))
	ResponseEntity<String> export(@RequestHeader(name = HttpHeaders.ACCEPT, required = false) @Nullable String accept) {
		ConfigFormat format = wantsYaml(accept) ? ConfigFormat.YAML : ConfigFormat.JSON;
		return ResponseEntity.ok()
			.contentType(new MediaType(format.mediaType(), StandardCharsets.UTF_8))
			.body(documents.write(exporter.export(), format));
	}

	@PostMapping(consumes = { MediaType.APPLICATION_JSON_VALUE, ConfigFormat.YAML_TYPE },
			produces = MediaType.APPLICATION_JSON_VALUE)
	@PreAuthorize(VIEW_ALL)
	@Operation(summary = "Apply a configuration document",
			description = "Converges the server to the document in one transaction, under the console's rules and "
					+ "permissions: all or nothing (400 naming the object that cannot be applied, 403 for a change "
					+ "the caller may not make). Applying the same document again changes nothing and answers "
					+ "result \"unchanged\". New confidential clients' secrets are in the answer, this once.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = {
					@Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							schema = @Schema(implementation = ConfigDocument.class)),
					@Content(mediaType = ConfigFormat.YAML_TYPE,
							schema = @Schema(implementation = ConfigDocument.class)) }))
	ResponseEntity<ConfigReport> apply(@RequestBody byte[] body,
			@RequestHeader(HttpHeaders.CONTENT_TYPE) String contentType,
			@Parameter(description = "Only answer what applying would do; nothing is written")
			@RequestParam(name = "dry_run", defaultValue = "false") boolean dryRun,
			@Parameter(description = "Also delete the clients and groups the document's sections do not list")
			@RequestParam(defaultValue = "false") boolean prune) {
		ConfigFormat format = MediaType.parseMediaType(contentType).isCompatibleWith(ConfigFormat.YAML.mediaType())
				? ConfigFormat.YAML : ConfigFormat.JSON;
		ConfigDocument document = documents.read(new String(body, StandardCharsets.UTF_8), format);
		ConfigReport report = applier.apply(document, dryRun, prune, ConfigApplier.Progress.NONE);
		// the answer may hold new clients' secrets
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(report);
	}

	@ExceptionHandler(InvalidConfigException.class)
	ResponseEntity<ProblemDetail> invalid(InvalidConfigException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setProperty("errors", new LinkedHashMap<>(ex.errors()));
		return ResponseEntity.badRequest().body(problem);
	}

	/** YAML when Accept ranks {@code application/yaml} at least as high as anything JSON would match. */
	private static boolean wantsYaml(@Nullable String accept) {
		if (accept == null || accept.isBlank()) {
			return false;
		}
		double yaml = 0;
		double json = 0;
		for (MediaType type : MediaType.parseMediaTypes(accept)) {
			if (type.equalsTypeAndSubtype(ConfigFormat.YAML.mediaType())) {
				yaml = Math.max(yaml, type.getQualityValue());
			}
			else if (type.includes(MediaType.APPLICATION_JSON)) {
				json = Math.max(json, type.getQualityValue());
			}
		}
		return yaml > 0 && yaml >= json;
	}

}
