package io.gatehouse.clients;

import java.time.Duration;

import io.gatehouse.api.ApiPage;
import io.gatehouse.api.ETags;
import io.gatehouse.api.PageQuery;
import io.gatehouse.api.ValidationException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/1.0/auth-clients}: the same operations and rules as the console, as JSON. */
@RestController
@RequestMapping("/api/1.0/auth-clients")
@Tag(name = "Auth Clients", description = "Client applications that may call the REST API")
class AuthClientApiController {

	private final AuthClientService clients;

	AuthClientApiController(AuthClientService clients) {
		this.clients = clients;
	}

	@GetMapping
	@PreAuthorize("hasAuthority('view-auth_clients')")
	@Operation(summary = "List auth clients",
			description = "Paged; filter matches name, client id and redirect URLs; order_by is name or created_at.")
	ApiPage<AuthClientJson> list(@RequestParam(required = false) String page,
			@RequestParam(name = "per_page", required = false) String perPage,
			@RequestParam(required = false) String filter,
			@RequestParam(name = "order_by", required = false) String orderBy,
			@RequestParam(name = "order_direction", required = false) String orderDirection) {
		PageQuery query = PageQuery.parse(page, perPage, filter, orderBy, orderDirection,
				JdbcAuthClientRepository.ORDERABLE, "name");
		return ApiPage.of(clients.page(query).map(AuthClientJson::of), query);
	}

	@PostMapping
	@PreAuthorize("hasAuthority('view-auth_clients') and hasAuthority('create-auth_clients')")
	@Operation(summary = "Create an auth client", description = "201 with the client and, this once, its secret.")
	ResponseEntity<AuthClientJson> create(@RequestBody AuthClientRequest request) {
		IssuedSecret issued = clients.create(request.toDraft());
		return withSecret(HttpStatus.CREATED, issued);
	}

	@GetMapping("/{id}")
	@PreAuthorize("hasAuthority('view-auth_clients')")
	@Operation(summary = "Show an auth client")
	ResponseEntity<AuthClientJson> show(@PathVariable String id) {
		AuthClient client = clients.get(id);
		return ResponseEntity.ok().eTag(ETags.of(client.version())).body(AuthClientJson.of(client));
	}

	@PutMapping("/{id}")
	@PreAuthorize("hasAuthority('view-auth_clients') and hasAuthority('edit-auth_clients')")
	@Operation(summary = "Update an auth client",
			description = "Replaces name, types and redirect URLs; the secret is unchanged. Send If-Match with the "
					+ "ETag you read to be refused (412) when someone else changed the client in between.")
	ResponseEntity<AuthClientJson> update(@PathVariable String id, @RequestBody AuthClientRequest request,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch) {
		AuthClient client = clients.update(id, ETags.expectedVersion(ifMatch), request.toDraft());
		return ResponseEntity.ok().eTag(ETags.of(client.version())).body(AuthClientJson.of(client));
	}

	@DeleteMapping("/{id}")
	@PreAuthorize("hasAuthority('view-auth_clients') and hasAuthority('delete-auth_clients')")
	@Operation(summary = "Delete an auth client", description = "Revokes the client and every token it issued.")
	ResponseEntity<Void> delete(@PathVariable String id) {
		clients.delete(id);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/{id}/secret")
	@PreAuthorize("hasAuthority('view-auth_clients') and hasAuthority('edit-auth_clients')")
	@Operation(summary = "Regenerate the secret",
			description = "Adds a secret and revokes the others: returns the client with its new secret, this once. "
					+ "The old secrets stop working at once. POST /secrets can keep them for a while.")
	ResponseEntity<AuthClientJson> regenerateSecret(@PathVariable String id) {
		return withSecret(HttpStatus.OK, clients.regenerateSecret(id));
	}

	@GetMapping("/{id}/secrets")
	@PreAuthorize("hasAuthority('view-auth_clients')")
	@Operation(summary = "List the client's secrets",
			description = "Newest first, revoked and expired ones included; never their values.")
	ClientSecretJson.Listing secrets(@PathVariable String id) {
		return new ClientSecretJson.Listing(clients.secrets(id).stream().map(ClientSecretJson::of).toList());
	}

	@PostMapping("/{id}/secrets")
	@PreAuthorize("hasAuthority('view-auth_clients') and hasAuthority('edit-auth_clients')")
	@Operation(summary = "Add a secret",
			description = "201 with the new secret, this once. The current secrets keep working for keep_current_for "
					+ "seconds (0 revokes them now; at most 30 days), so the application can switch without downtime.")
	ResponseEntity<ClientSecretJson> addSecret(@PathVariable String id,
			@RequestBody ClientSecretJson.AddRequest request) {
		if (request.keepCurrentFor() == null) {
			throw ValidationException.of("keep_current_for", "The keep current for field is required.");
		}
		long seconds = request.keepCurrentFor();
		if (seconds < 0 || seconds > AuthClientService.MAX_KEEP_CURRENT.toSeconds()) {
			throw ValidationException.of("keep_current_for",
					"The current secrets can be kept for 0 seconds to 30 days.");
		}
		IssuedClientSecret added = clients.addSecret(id, Duration.ofSeconds(seconds));
		return ResponseEntity.status(HttpStatus.CREATED)
			.cacheControl(CacheControl.noStore())
			.body(ClientSecretJson.of(added.secret(), added.value()));
	}

	@DeleteMapping("/{id}/secrets/{secretId}")
	@PreAuthorize("hasAuthority('view-auth_clients') and hasAuthority('edit-auth_clients')")
	@Operation(summary = "Revoke a secret", description = "It stops working at once.")
	ResponseEntity<Void> revokeSecret(@PathVariable String id, @PathVariable String secretId) {
		clients.revokeSecret(id, secretId);
		return ResponseEntity.noContent().build();
	}

	private static ResponseEntity<AuthClientJson> withSecret(HttpStatus status, IssuedSecret issued) {
		return ResponseEntity.status(status)
			.cacheControl(CacheControl.noStore())
			.eTag(ETags.of(issued.client().version()))
			.body(AuthClientJson.of(issued.client(), issued.secret()));
	}

}
