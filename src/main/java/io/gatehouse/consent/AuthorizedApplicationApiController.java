package io.gatehouse.consent;

import java.time.Instant;
import java.util.List;

import io.gatehouse.accounts.TokenOwners;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/1.0/users/{user_id}/applications}: the clients a user consented to. */
@RestController
@RequestMapping("/api/1.0/users/{user_id}/applications")
@Tag(name = "Authorized Applications",
		description = "Clients a user allowed on the consent page of the authorization code grant. Your own need no "
				+ "permission; another user's need view-users to list, and view-users plus edit-users to withdraw, "
				+ "with every permission the owner holds (a super admin's: only a super admin).")
class AuthorizedApplicationApiController {

	private final AuthorizedApplications applications;

	private final TokenOwners owners;

	AuthorizedApplicationApiController(AuthorizedApplications applications, TokenOwners owners) {
		this.applications = applications;
		this.owners = owners;
	}

	@GetMapping
	@Operation(summary = "List a user's authorized applications", description = "By client name; all in one list.")
	Applications list(@PathVariable("user_id") long userId) {
		owners.requireMayView(userId);
		return new Applications(applications.list(userId).stream().map(ApplicationJson::of).toList());
	}

	@DeleteMapping("/{client_id}")
	@Operation(summary = "Withdraw access",
			description = "Deletes the consent and revokes the user's authorization-code tokens for the client "
					+ "(access, refresh and ID tokens stop working at once); the next authorization request asks for "
					+ "consent again. 204; 404 when the user has not consented to that client.")
	ResponseEntity<Void> withdraw(@PathVariable("user_id") long userId, @PathVariable("client_id") String clientId) {
		owners.requireMayRevoke(userId);
		applications.withdraw(userId, clientId);
		return ResponseEntity.noContent().build();
	}

	/** The list envelope: rows in {@code data}, as the other lists (a user consents to few clients, so no paging). */
	record Applications(List<ApplicationJson> data) {
	}

	record ApplicationJson(@JsonProperty("client_id") String clientId, @JsonProperty("client_name") String clientName,
			List<String> scopes, @JsonProperty("granted_at") Instant grantedAt) {

		static ApplicationJson of(AuthorizedApplication application) {
			return new ApplicationJson(application.clientId(), application.clientName(), application.scopes(),
					application.grantedAt());
		}

	}

}
