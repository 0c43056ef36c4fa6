package io.gatehouse.registration;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.gatehouse.clients.AuthClient;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.ClientPolicy;
import io.gatehouse.clients.GrantType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How RFC 7591 metadata maps onto the console's client, before the console's rules are checked. */
class ClientMetadataTests {

	@Test
	void toDraftWhenGrantTypesOmittedThenAuthorizationCodeAndConfidential() {
		AuthClientDraft draft = metadata(null, null, null, null).toDraft(null);
		assertThat(draft.grants()).containsExactly(GrantType.AUTHORIZATION_CODE);
		assertThat(draft.publicClient()).isFalse();
		assertThat(draft.introspectOthers()).isFalse();
	}

	@Test
	void toDraftWhenRefreshWithPasswordAndPostMethodThenPasswordGrantConfidential() {
		AuthClientDraft draft = metadata(List.of("password", "refresh_token"), null, "client_secret_post", "api")
			.toDraft(null);
		assertThat(draft.grants()).containsExactly(GrantType.PASSWORD);
		assertThat(draft.publicClient()).isFalse();
	}

	@Test
	void toDraftWhenTokenExchangeThenTheGrantWithoutAudiences() {
		AuthClientDraft draft = metadata(List.of("urn:ietf:params:oauth:grant-type:token-exchange"), List.of(),
				null, "api").toDraft(null);
		assertThat(draft.grants()).containsExactly(GrantType.TOKEN_EXCHANGE);
		assertThat(draft.policy().exchangeAudiences()).isEmpty();
	}

	@Test
	void toDraftWhenNoneThenPublicClient() {
		assertThat(metadata(null, List.of("code"), "none", "openid profile").toDraft(null).publicClient()).isTrue();
	}

	@Test
	void toDraftWhenRefreshAloneUnknownGrantResponseTypeScopeOrMethodThenInvalidClientMetadata() {
		assertRefused(metadata(List.of("refresh_token"), null, null, null), "refresh_token comes only with");
		assertRefused(metadata(List.of("urn:ietf:params:oauth:grant-type:device_code"), null, null, null),
				"is not supported");
		assertRefused(metadata(List.of("client_credentials"), List.of("code"), null, null),
				"needs the authorization_code grant");
		assertRefused(metadata(null, List.of("token"), null, null), "only code");
		assertRefused(metadata(null, null, null, "api admin"), "The scope admin is not known.");
		assertRefused(metadata(null, null, "client_secret_jwt", null), "token_endpoint_auth_method must be");
		assertRefused(new ClientMetadata(null, null, "Name", List.of("https://a.example/cb"), null, null,
				"client_secret_basic", null, null, null, "https://keys.example/jwks"),
				"jwks and jwks_uri go with token_endpoint_auth_method private_key_jwt");
		assertRefused(metadata(List.of(), null, null, null), "at least one grant");
		assertRefused(new ClientMetadata(null, null, "Name", java.util.Arrays.asList("https://a.example/cb", null),
				null, null, null, null, null, null, null), "redirect_uris must list strings.");
	}

	@Test
	void toDraftWhenReplacingThenAdministratorSettingsKeptAndPersonalAccessKept() {
		ClientPolicy limited = new ClientPolicy(java.time.Duration.ofMinutes(5), null, Set.of("api"), true,
				new ClientPolicy.RateLimit(5, 10));
		AuthClient current = new AuthClient("id", "Old", Set.of(GrantType.AUTHORIZATION_CODE,
				GrantType.PERSONAL_ACCESS), List.of("https://a.example/cb"), false, true, true, List.of(), true, true,
				null, false, 3, Instant.EPOCH, Instant.EPOCH, io.gatehouse.clients.ClientAuthentication.SECRET, limited,
				null);
		AuthClientDraft draft = new ClientMetadata("id", null, "New", List.of("https://a.example/cb"), null, null,
				null, null, null, null, null).toDraft(current);
		assertThat(draft.grants()).containsExactlyInAnyOrder(GrantType.AUTHORIZATION_CODE, GrantType.PERSONAL_ACCESS);
		assertThat(draft.introspectOthers()).isTrue();
		assertThat(draft.requirePar()).isTrue();
		assertThat(draft.revokeTokensOnLogout()).isTrue();
		assertThat(draft.requireDpop()).isTrue();
		assertThat(draft.policy()).isEqualTo(limited);
		assertThat(draft.postLogoutRedirectUris()).isEmpty();
	}

	private static ClientMetadata metadata(List<String> grants, List<String> responseTypes, String method,
			String scope) {
		return new ClientMetadata(null, null, "Name", List.of("https://a.example/cb"), grants, responseTypes, method,
				scope, null, null, null);
	}

	private static void assertRefused(ClientMetadata metadata, String message) {
		assertThatThrownBy(() -> metadata.toDraft(null)).isInstanceOfSatisfying(RegistrationException.class,
				ex -> {
					assertThat(ex.error()).isEqualTo("invalid_client_metadata");
					assertThat(ex.status()).isEqualTo(400);
					assertThat(ex.getMessage()).contains(message);
				});
	}

}
