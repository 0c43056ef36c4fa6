package io.gatehouse.registration;

import java.time.Instant;

import io.gatehouse.registration.InitialAccessTokenService.IssuedInitialAccessToken;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/1.0/initial-access-tokens}: the tokens that let a pipeline register clients at /oauth/register. */
@RestController
@RequestMapping("/api/1.0/initial-access-tokens")
@Tag(name = "Initial Access Tokens",
		description = "Tokens that let a pipeline register clients at POST /oauth/register (RFC 7591)")
class InitialAccessTokenApiController {

	static final String CAN_MANAGE = "hasAuthority('view-auth_clients') and hasAuthority('create-auth_clients')";

	private final InitialAccessTokenService tokens;

	InitialAccessTokenApiController(InitialAccessTokenService tokens) {
		this.tokens = tokens;
	}

	@GetMapping
	@PreAuthorize(CAN_MANAGE)
	@Operation(summary = "List initial access tokens", description = "The newest 100, newest first; never values.")
	InitialAccessTokenJson.Listing list() {
		Instant now = Instant.now();
		return new InitialAccessTokenJson.Listing(
				tokens.list().stream().map(token -> InitialAccessTokenJson.of(token, now, null)).toList());
	}

	@PostMapping
	@PreAuthorize(CAN_MANAGE)
	@Operation(summary = "Create an initial access token",
			description = "201 with the token's value, this once; only its SHA-256 is stored. It expires after "
					+ "expires_in seconds (at most 30 days); a single_use token registers one client.")
	ResponseEntity<InitialAccessTokenJson> create(@RequestBody InitialAccessTokenJson.CreateRequest request) {
		IssuedInitialAccessToken issued = tokens.create(request.name(), request.expiresIn(),
				Boolean.TRUE.equals(request.singleUse()));
		return ResponseEntity.status(HttpStatus.CREATED)
			.cacheControl(CacheControl.noStore())
			.body(InitialAccessTokenJson.of(issued.token(), Instant.now(), issued.value()));
	}

	@DeleteMapping("/{id}")
	@PreAuthorize(CAN_MANAGE)
	@Operation(summary = "Revoke an initial access token",
			description = "It registers no more clients at once; the clients it registered stay.")
	ResponseEntity<Void> revoke(@PathVariable String id) {
		tokens.revoke(id);
		return ResponseEntity.noContent().build();
	}

}
