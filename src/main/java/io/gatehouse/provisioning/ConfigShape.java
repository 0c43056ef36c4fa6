package io.gatehouse.provisioning;

import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.gatehouse.clients.AuthClient;
import io.gatehouse.clients.AuthClientDraft;
import io.gatehouse.clients.ClientPolicy;
import io.gatehouse.clients.GrantType;
import io.gatehouse.database.NameKeys;
import com.nimbusds.jose.util.JSONObjectUtils;

import org.jspecify.annotations.Nullable;

/**
 * What a document must look like before anything is looked up: its version, the keys every object needs, no object
 * twice, known grant types, no empty entries in lists, and a service account only for a client that has one. The
 * rules about values (names, redirect URLs, permissions) are the services', checked when applying.
 */
final class ConfigShape {

	/** The services' field names where the document spells them otherwise. */
	private static final Map<String, String> DOCUMENT_FIELDS = Map.of("redirect", "redirect_uris");

	private ConfigShape() {
	}

	/** @throws InvalidConfigException naming the first object out of shape */
	static void check(ConfigDocument document) {
		if (document.version() == null) {
			throw InvalidConfigException.of("version", "The document", "The version field is required.");
		}
		if (document.version() != ConfigDocument.VERSION) {
			throw InvalidConfigException.of("version", "The document",
					"Version " + document.version() + " is unknown; this server reads version 1.");
		}
		if (document.clients() != null) {
			checkClients(document.clients());
		}
		if (document.groups() != null) {
			checkGroups(document.groups());
		}
	}

	private static void checkClients(List<ConfigDocument.@Nullable Client> clients) {
		Map<String, Integer> seen = new HashMap<>();
		for (int i = 0; i < clients.size(); i++) {
			String path = "clients." + i;
			ConfigDocument.Client client = clients.get(i);
			if (client == null) {
				throw InvalidConfigException.of(path, "clients." + i, "An entry of clients is empty.");
			}
			String id = client.clientId();
			if (id == null || id.isBlank()) {
				throw InvalidConfigException.of(path + ".client_id", "clients." + i,
						"The client_id field is required.");
			}
			String object = "client \"" + id + "\"";
			Integer before = seen.put(id, i);
			if (before != null) {
				throw InvalidConfigException.of(path + ".client_id", object,
						"The client_id appears twice, also as clients." + before + ".");
			}
			noNulls(path + ".types", object, client.types());
			noNulls(path + ".redirect_uris", object, client.redirectUris());
			noNulls(path + ".post_logout_redirect_uris", object, client.postLogoutRedirectUris());
			noNulls(path + ".token_exchange_audiences", object, client.tokenExchangeAudiences());
			for (String type : orEmpty(client.types())) {
				if (GrantType.fromApiName(type).isEmpty()) {
					throw InvalidConfigException.of(path + ".types", object, "The type \"" + type + "\" is unknown.");
				}
			}
			ConfigDocument.ServiceAccount account = client.serviceAccount();
			if (account != null) {
				if (!orEmpty(client.types()).contains(GrantType.CLIENT_CREDENTIALS.apiName())) {
					throw InvalidConfigException.of(path + ".service_account", object,
							"Only a client with client_credentials has a service account.");
				}
				noNulls(path + ".service_account.permissions", object, account.permissions());
				noNulls(path + ".service_account.groups", object, account.groups());
			}
		}
	}

	private static void checkGroups(List<ConfigDocument.@Nullable Group> groups) {
		Map<String, Integer> seen = new HashMap<>();
		for (int i = 0; i < groups.size(); i++) {
			String path = "groups." + i;
			ConfigDocument.Group group = groups.get(i);
			if (group == null) {
				throw InvalidConfigException.of(path, "groups." + i, "An entry of groups is empty.");
			}
			if (group.name() == null || group.name().isBlank()) {
				throw InvalidConfigException.of(path + ".name", "groups." + i, "The name field is required.");
			}
			String object = "group \"" + group.name().trim() + "\"";
			Integer before = seen.put(NameKeys.of(group.name()), i);
			if (before != null) {
				throw InvalidConfigException.of(path + ".name", object,
						"The group appears twice (names are compared in any case), also as groups." + before + ".");
			}
			noNulls(path + ".permissions", object, group.permissions());
		}
	}

	private static void noNulls(String path, String object, @Nullable List<?> values) {
		if (values != null && values.contains(null)) {
			throw InvalidConfigException.of(path, object, "The list " + path + " holds an empty entry.");
		}
	}

	static <T> List<T> orEmpty(@Nullable List<T> values) {
		return values == null ? List.of() : values;
	}

	static String documentField(String serviceField) {
		return DOCUMENT_FIELDS.getOrDefault(serviceField, serviceField);
	}

	/** What the client of the document asks to be; flags left out are false, lists left out empty. */
	static AuthClientDraft draft(ConfigDocument.Client client) {
		Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
		orEmpty(client.types()).stream().map(GrantType::fromApiName).flatMap(Optional::stream).forEach(grants::add);
		ConfigDocument.RateLimit limit = client.rateLimit();
		ClientPolicy policy = new ClientPolicy(duration(client.accessTokenLifetime()),
				duration(client.refreshTokenLifetime()),
				client.scopes() == null ? null : new TreeSet<>(client.scopes()), isTrue(client.skipConsent()),
				limit == null ? null : new ClientPolicy.RateLimit(limit.perSecond() == null ? -1 : limit.perSecond(),
						limit.burst() == null ? (limit.perSecond() == null ? -1 : limit.perSecond()) : limit.burst()),
				orEmpty(client.tokenExchangeAudiences()));
		return new AuthClientDraft(client.name(), grants, orEmpty(client.redirectUris()), isTrue(client.publicClient()),
				isTrue(client.introspectOthers()), isTrue(client.requirePar()),
				orEmpty(client.postLogoutRedirectUris()), isTrue(client.revokeTokensOnLogout()),
				isTrue(client.requireDpop()), new AuthClientDraft.Authentication(client.tokenEndpointAuthMethod(),
						client.jwks() == null ? null : JSONObjectUtils.toJSONString(client.jwks()), client.jwksUri()),
				policy);
	}

	/** The stored set as the document shows it; it was valid when saved. */
	static @Nullable Map<String, Object> jwks(@Nullable String json) {
		try {
			return json == null ? null : JSONObjectUtils.parse(json);
		}
		catch (ParseException storedValid) {
			throw new IllegalStateException(storedValid);
		}
	}

	static @Nullable Long seconds(@Nullable Duration duration) {
		return duration == null ? null : duration.toSeconds();
	}

	static ConfigDocument.@Nullable RateLimit rateLimit(ClientPolicy.@Nullable RateLimit limit) {
		return limit == null ? null : new ConfigDocument.RateLimit(limit.perSecond(), limit.burst());
	}

	/** Negative when not a whole number of seconds, which the service's bounds check refuses. */
	private static @Nullable Duration duration(@Nullable Long seconds) {
		return seconds == null ? null : Duration.ofSeconds(seconds);
	}

	/**
	 * The document's fields that differ from the live client: what the report names. Whether anything is written is
	 * the service's answer (it writes nothing when the draft, once trimmed, is what is stored).
	 */
	static List<String> changedFields(AuthClient current, AuthClientDraft draft) {
		List<String> fields = new ArrayList<>();
		if (!current.name().equals(draft.name() == null ? null : draft.name().trim())) {
			fields.add("name");
		}
		if (!current.grants().equals(draft.grants())) {
			fields.add("types");
		}
		if (!current.redirectUris().equals(trimmed(draft.redirectUris()))) {
			fields.add("redirect_uris");
		}
		if (!current.postLogoutRedirectUris().equals(trimmed(draft.postLogoutRedirectUris()))) {
			fields.add("post_logout_redirect_uris");
		}
		if (current.publicClient() != draft.publicClient()) {
			fields.add("public");
		}
		if (current.introspectOthers() != draft.introspectOthers()) {
			fields.add("introspect_others");
		}
		if (current.requirePar() != draft.requirePar()) {
			fields.add("require_par");
		}
		if (current.revokeTokensOnLogout() != draft.revokeTokensOnLogout()) {
			fields.add("revoke_tokens_on_logout");
		}
		if (current.requireDpop() != draft.requireDpop()) {
			fields.add("require_dpop");
		}
		AuthClientDraft.Authentication wanted = draft.authentication();
		if (wanted.method() != null && !wanted.method().equals(current.authentication().method().apiName())) {
			fields.add("token_endpoint_auth_method");
		}
		if (!Objects.equals(jwks(current.authentication().jwks()), jwks(wanted.jwks()))) {
			fields.add("jwks");
		}
		if (!Objects.equals(current.authentication().jwksUri(), wanted.jwksUri())) {
			fields.add("jwks_uri");
		}
		ClientPolicy was = current.policy();
		ClientPolicy now = draft.policy();
		if (!Objects.equals(was.accessTokenLifetime(), now.accessTokenLifetime())) {
			fields.add("access_token_lifetime");
		}
		if (!Objects.equals(was.refreshTokenLifetime(), now.refreshTokenLifetime())) {
			fields.add("refresh_token_lifetime");
		}
		if (!Objects.equals(was.scopes(), now.scopes())) {
			fields.add("scopes");
		}
		if (was.skipConsent() != now.skipConsent()) {
			fields.add("skip_consent");
		}
		if (!Objects.equals(was.rateLimit(), now.rateLimit())) {
			fields.add("rate_limit");
		}
		if (!was.exchangeAudiences().equals(now.exchangeAudiences())) {
			fields.add("token_exchange_audiences");
		}
		return fields;
	}

	private static List<String> trimmed(List<String> uris) {
		return uris.stream().map(String::trim).toList();
	}

	private static boolean isTrue(@Nullable Boolean value) {
		return Boolean.TRUE.equals(value);
	}

}
