package io.gatehouse.personaltokens;

import java.util.Set;

import io.gatehouse.accounts.TokenOwners;
import io.gatehouse.api.ApiPage;
import io.gatehouse.api.PageQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/1.0/users/{user_id}/tokens}: a user's personal access tokens. */
@RestController
@RequestMapping("/api/1.0/users/{user_id}/tokens")
@Tag(name = "Personal Access Tokens",
		description = "Bearer tokens (prefix gtpat_) that act as their owner on the REST API. Scope api: the whole "
				+ "API, limited by the owner's own permissions. Your own tokens need no permission; another user's "
				+ "need view-users to list and show, and view-users plus edit-users to revoke, with every permission "
				+ "the owner holds (a super admin's: only a super admin). Nobody creates a "
				+ "token for another user.")
class PersonalAccessTokenApiController {

	private static final Set<String> ORDERABLE = Set.of("created_at");

	private final PersonalAccessTokenService tokens;

	private final TokenOwners owners;

	PersonalAccessTokenApiController(PersonalAccessTokenService tokens, TokenOwners owners) {
		this.tokens = tokens;
		this.owners = owners;
	}

	@GetMapping
	@Operation(summary = "List a user's tokens",
			description = "Newest first (order_direction=asc for oldest first), revoked and expired ones included. "
					+ "Never returns token values.")
	ApiPage<PersonalAccessTokenJson> list(@PathVariable("user_id") long userId,
			@RequestParam(required = false) @Nullable String page,
			@RequestParam(name = "per_page", required = false) @Nullable String perPage,
			@RequestParam(name = "order_direction", required = false) @Nullable String orderDirection) {
		owners.requireMayView(userId);
		PageQuery query = PageQuery.parse(page, perPage, null, "created_at",
				orderDirection == null ? "desc" : orderDirection, ORDERABLE, "created_at");
		return ApiPage.of(tokens.list(userId, query).map(PersonalAccessTokenJson::of), query);
	}

	@PostMapping
	@Operation(summary = "Create a token for yourself",
			description = "201 with the token and, this once, its value in token. scopes: [\"api\"] (the default); "
					+ "client_id: a live client with personal access tokens enabled (default personal-access-client); "
					+ "expires_in_days: 1 to 365 (default 90).")
	ResponseEntity<PersonalAccessTokenJson> create(@PathVariable("user_id") long userId,
			@RequestBody PersonalAccessTokenRequest request) {
		owners.requireMayCreate(userId);
		IssuedPersonalAccessToken issued = tokens.create(userId, request.toDraft());
		return ResponseEntity.status(HttpStatus.CREATED)
			.cacheControl(CacheControl.noStore())
			.body(PersonalAccessTokenJson.of(issued.token(), issued.value()));
	}

	@GetMapping("/{token_id}")
	@Operation(summary = "Show a token", description = "Never returns the token value.")
	PersonalAccessTokenJson show(@PathVariable("user_id") long userId, @PathVariable("token_id") long tokenId) {
		owners.requireMayView(userId);
		return PersonalAccessTokenJson.of(tokens.get(userId, tokenId));
	}

	@DeleteMapping("/{token_id}")
	@Operation(summary = "Revoke a token", description = "It stops working at once. 204, also when already revoked.")
	ResponseEntity<Void> revoke(@PathVariable("user_id") long userId, @PathVariable("token_id") long tokenId) {
		owners.requireMayRevoke(userId);
		tokens.revoke(userId, tokenId);
		return ResponseEntity.noContent().build();
	}

}
