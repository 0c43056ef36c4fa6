package io.gatehouse.registration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import io.gatehouse.clients.AuthClient;
import io.gatehouse.registration.ClientRegistrationService.Registered;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * {@code /oauth/register}: RFC 7591 dynamic client registration with an initial access token, and RFC 7592 client
 * management at {@code /oauth/register/{client_id}} with the client's registration access token. Errors are the
 * RFCs' JSON ({@code {"error", "error_description"}}): 400 for metadata, 401 with an RFC 6750 challenge for a
 * missing or bad token. Every answer is {@code no-store}.
 */
@RestController
@RequestMapping(ClientRegistrationController.PATH)
@Tag(name = "Client registration", description = "RFC 7591 dynamic client registration and RFC 7592 management")
class ClientRegistrationController {

	static final String PATH = "/oauth/register";

	/** Client metadata is small; anything larger is refused before it is parsed. */
	static final int MAX_BODY = 64 * 1024;

	private static final String BEARER = "bearer ";

	/**
	 * RFC 7591 2: metadata this server does not understand is ignored, not refused. What it understands is read as
	 * written: a number is not a string, nor a string a list.
	 */
	private static final JsonMapper METADATA = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
		.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.withCoercionConfig(LogicalType.Textual, config -> {
			config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
			config.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
			config.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
		})
		.build();

	private final ClientRegistrationService registrations;

	ClientRegistrationController(ClientRegistrationService registrations) {
		this.registrations = registrations;
	}

	@PostMapping
	@Operation(summary = "Register a client (RFC 7591)",
			description = "Send Authorization: Bearer with an initial access token. 201 with the client, its secret "
					+ "(confidential clients, this once) and its registration_access_token (this once).",
			security = @SecurityRequirement(name = "initialAccessToken"),
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @Content(schema = @Schema(implementation = ClientMetadata.class))),
			responses = {
					@ApiResponse(responseCode = "201", content = @Content(
							schema = @Schema(implementation = ClientInformation.class))),
					@ApiResponse(responseCode = "400", description = "invalid_client_metadata or "
							+ "invalid_redirect_uri", content = @Content(schema = @Schema(ref = "RegistrationError"))),
					@ApiResponse(responseCode = "401", description = "invalid_token: no initial access token, or "
							+ "an unknown, expired, revoked or used-up one",
							content = @Content(schema = @Schema(ref = "RegistrationError"))) })
	ResponseEntity<ClientInformation> register(
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
			HttpServletRequest request) {
		// read before the registering transaction, so a slow sender holds no lock; parsed once the token checked out
		byte[] body = body(request);
		Registered registered = registrations.register(bearer(authorization), () -> metadata(request, body));
		return ResponseEntity.status(HttpStatus.CREATED)
			.cacheControl(CacheControl.noStore())
			.body(ClientInformation.of(registered.client(), registered.secret(), registered.registrationAccessToken(),
					clientUri(registered.client().id())));
	}

	@GetMapping("/{clientId}")
	@Operation(summary = "Read a registered client (RFC 7592 2.1)",
			description = "With the client's registration access token. Never returns a secret.",
			security = @SecurityRequirement(name = "registrationAccessToken"),
			responses = { @ApiResponse(responseCode = "200", content = @Content(
					schema = @Schema(implementation = ClientInformation.class))),
					@ApiResponse(responseCode = "401", description = "invalid_token: absent, unknown, another "
							+ "client's, or the client was deleted",
							content = @Content(schema = @Schema(ref = "RegistrationError"))) })
	ResponseEntity<ClientInformation> read(@PathVariable String clientId,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
		String token = bearer(authorization);
		return information(registrations.read(clientId, token), token);
	}

	@PutMapping("/{clientId}")
	@Operation(summary = "Replace a registered client's metadata (RFC 7592 2.2)",
			description = "The whole metadata, with the client's own client_id; fields left out are deleted or set "
					+ "to their defaults. The same rules as on registration. The registration access token stays.",
			security = @SecurityRequirement(name = "registrationAccessToken"),
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @Content(schema = @Schema(implementation = ClientMetadata.class))),
			responses = { @ApiResponse(responseCode = "200", content = @Content(
					schema = @Schema(implementation = ClientInformation.class))),
					@ApiResponse(responseCode = "400", description = "invalid_client_metadata (also a client_id "
							+ "that is not the client's) or invalid_redirect_uri",
							content = @Content(schema = @Schema(ref = "RegistrationError"))),
					@ApiResponse(responseCode = "401", description = "invalid_token",
							content = @Content(schema = @Schema(ref = "RegistrationError"))) })
	ResponseEntity<ClientInformation> update(@PathVariable String clientId,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization,
			HttpServletRequest request) {
		String token = bearer(authorization);
		// a missing or wrong token is 401 before the body is read
		registrations.read(clientId, token);
		return information(registrations.update(clientId, token, metadata(request, body(request))), token);
	}

	@DeleteMapping("/{clientId}")
	@Operation(summary = "Delete a registered client (RFC 7592 2.3)",
			description = "204; every token the client was issued is revoked, as when the console deletes it.",
			security = @SecurityRequirement(name = "registrationAccessToken"),
			responses = { @ApiResponse(responseCode = "204"),
					@ApiResponse(responseCode = "401", description = "invalid_token",
							content = @Content(schema = @Schema(ref = "RegistrationError"))) })
	ResponseEntity<Void> delete(@PathVariable String clientId,
			@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Nullable String authorization) {
		registrations.delete(clientId, bearer(authorization));
		return ResponseEntity.noContent().cacheControl(CacheControl.noStore()).build();
	}

	@ExceptionHandler(RegistrationException.class)
	ResponseEntity<Map<String, String>> refused(RegistrationException ex) {
		ResponseEntity.BodyBuilder response = ResponseEntity.status(ex.status()).cacheControl(CacheControl.noStore());
		if (ex.status() == HttpStatus.UNAUTHORIZED.value()) {
			// RFC 6750 3: no error code in the challenge when no token was sent
			response.header(HttpHeaders.WWW_AUTHENTICATE, ex.tokenPresented()
					? "Bearer realm=\"gatehouse\", error=\"invalid_token\"" : "Bearer realm=\"gatehouse\"");
		}
		Map<String, String> body = new LinkedHashMap<>();
		body.put("error", ex.error());
		body.put("error_description", ex.getMessage());
		return response.contentType(MediaType.APPLICATION_JSON).body(body);
	}

	/** Another request holds the single-use initial access token's row: it is the one registering with it. */
	@ExceptionHandler(PessimisticLockingFailureException.class)
	ResponseEntity<Map<String, String>> busy(PessimisticLockingFailureException ex) {
		return refused(RegistrationException.tokenInvalid("The initial access token is being used by another "
				+ "request."));
	}

	private ResponseEntity<ClientInformation> information(AuthClient client, @Nullable String token) {
		// RFC 7592 3: the response carries the registration access token, here the one the caller presented
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.body(ClientInformation.of(client, null, token == null ? "" : token, clientUri(client.id())));
	}

	private static String clientUri(String clientId) {
		return ServletUriComponentsBuilder.fromCurrentContextPath()
			.path(PATH + "/{id}")
			.buildAndExpand(clientId)
			.toUriString();
	}

	/** RFC 6750 2.1: {@code Authorization: Bearer <token>}, the scheme in any letter case. */
	private static @Nullable String bearer(@Nullable String authorization) {
		if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
			return null;
		}
		String token = authorization.substring(BEARER.length()).trim();
		return token.isEmpty() ? null : token;
	}

	/** At most {@link #MAX_BODY} bytes and one more, which tells a body too large; empty when unreadable. */
	private static byte[] body(HttpServletRequest request) {
		try {
			return request.getInputStream().readNBytes(MAX_BODY + 1);
		}
		catch (IOException ex) {
			return new byte[0];
		}
	}

	/** RFC 7591 3.1: a JSON object sent as {@code application/json}. */
	private static ClientMetadata metadata(HttpServletRequest request, byte[] bytes) {
		if (!isJson(request.getContentType())) {
			throw RegistrationException.metadata("The client metadata must be JSON, sent as application/json.");
		}
		if (bytes.length > MAX_BODY) {
			throw RegistrationException.metadata("The client metadata must be at most 64 KiB.");
		}
		String body = new String(bytes, StandardCharsets.UTF_8);
		if (body.isBlank()) {
			throw RegistrationException.metadata("The request body must be a JSON object of client metadata.");
		}
		try {
			JsonNode tree = METADATA.readTree(body);
			if (tree == null || !tree.isObject()) {
				throw RegistrationException.metadata("The request body must be a JSON object of client metadata.");
			}
			return METADATA.treeToValue(tree, ClientMetadata.class);
		}
		catch (JacksonException ex) {
			String field = ex.getPath().isEmpty() ? null : ex.getPath().get(0).getPropertyName();
			throw RegistrationException.metadata(field == null ? "The request body is not valid JSON."
					: "The " + field + " field has the wrong type.");
		}
	}

	private static boolean isJson(@Nullable String contentType) {
		if (contentType == null) {
			return false;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return !type.isWildcardType() && !type.isWildcardSubtype() && MediaType.APPLICATION_JSON.includes(type);
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

}
