package io.gatehouse.registration;

import java.util.function.Supplier;

import io.gatehouse.api.NotFoundException;
import io.gatehouse.api.ValidationException;
import io.gatehouse.clients.AuthClient;
import io.gatehouse.clients.AuthClientService;
import io.gatehouse.clients.IssuedSecret;
import io.gatehouse.database.Timestamps;
import io.gatehouse.secrets.Secrets;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * RFC 7591 registration and RFC 7592 read, replace and delete, through {@link AuthClientService}: the same rules,
 * secrets, audit records and consequences (tokens revoked) as the console. Each registration claims its initial
 * access token in its own transaction, so a refused one leaves a single-use token unused. The registration access
 * token is returned once and stored as its SHA-256; it is not rotated on update, so a pipeline whose update response
 * was lost keeps a working token. Audited as {@code registration:<initial access token id>} for registrations and
 * {@code client:<client id>} for a client's own RFC 7592 changes.
 */
@Service
class ClientRegistrationService {

	/** Recognised by secret scanners, like the other Gatehouse secrets. */
	static final String TOKEN_PREFIX = "gtrat_";

	private final InitialAccessTokenService initialTokens;

	private final JdbcClientRegistrationRepository registrations;

	private final AuthClientService clients;

	ClientRegistrationService(InitialAccessTokenService initialTokens, JdbcClientRegistrationRepository registrations,
			AuthClientService clients) {
		this.initialTokens = initialTokens;
		this.registrations = registrations;
		this.clients = clients;
	}

	/**
	 * RFC 7591 3: registers the client; the response's secret and registration access token exist only here. The
	 * metadata is read only once the initial access token checked out, so a caller without one learns nothing.
	 */
	@Transactional
	Registered register(@Nullable String initialAccessToken, Supplier<ClientMetadata> metadata) {
		if (initialAccessToken == null) {
			throw RegistrationException.tokenMissing(
					"Registration needs an initial access token: Authorization: Bearer <token>.");
		}
		InitialAccessToken token = initialTokens.claim(initialAccessToken)
			.orElseThrow(() -> RegistrationException.tokenInvalid(
					"The initial access token is unknown, expired, revoked or already used."));
		IssuedSecret issued;
		try {
			issued = clients.create(metadata.get().toDraft(null), "registration:" + token.id());
		}
		catch (ValidationException ex) {
			throw RegistrationException.of(ex);
		}
		String registrationToken = Secrets.generate(TOKEN_PREFIX);
		registrations.insert(issued.client().id(), Secrets.sha256(registrationToken), token.id(), Timestamps.now());
		return new Registered(issued.client(), issued.secret(), registrationToken);
	}

	/** RFC 7592 2.1: the client, never its secret. */
	@Transactional(readOnly = true)
	AuthClient read(String clientId, @Nullable String registrationToken) {
		return authorized(clientId, registrationToken);
	}

	/**
	 * RFC 7592 2.2: replaces the client's metadata; what the request leaves out is deleted or set to its default.
	 * The request must name the client's own {@code client_id}, and a {@code client_secret} sent must be one of its
	 * active secrets.
	 */
	@Transactional
	AuthClient update(String clientId, @Nullable String registrationToken, ClientMetadata metadata) {
		AuthClient current = authorized(clientId, registrationToken);
		if (!clientId.equals(metadata.clientId())) {
			throw RegistrationException.metadata("client_id must be the client's own.");
		}
		if (metadata.clientSecret() != null && !clients.secretMatches(clientId, metadata.clientSecret())) {
			throw RegistrationException.metadata("client_secret is not one of the client's secrets.");
		}
		try {
			return clients.update(clientId, null, metadata.toDraft(current), "client:" + clientId);
		}
		catch (ValidationException ex) {
			throw RegistrationException.of(ex);
		}
	}

	/** RFC 7592 2.3: deletes the client as the console does (every token it issued revoked), and the token. */
	@Transactional
	void delete(String clientId, @Nullable String registrationToken) {
		authorized(clientId, registrationToken);
		clients.delete(clientId, "client:" + clientId);
		registrations.delete(clientId);
	}

	/**
	 * The live client that this registration access token manages. RFC 7592 2: a token of another client, an unknown
	 * token and a deleted client are all 401, so a token never reaches a client but its own.
	 */
	private AuthClient authorized(String clientId, @Nullable String registrationToken) {
		if (registrationToken == null) {
			throw RegistrationException.tokenMissing("This needs the client's registration access token: "
					+ "Authorization: Bearer <token>.");
		}
		String managed = registrations.clientOf(Secrets.sha256(registrationToken)).orElse(null);
		if (!clientId.equals(managed)) {
			throw RegistrationException.tokenInvalid("The registration access token is not valid for this client.");
		}
		try {
			return clients.get(clientId);
		}
		catch (NotFoundException ex) {
			throw RegistrationException.tokenInvalid("The registration access token is not valid for this client.");
		}
	}

	/** A registered client with what only its registration response carries. */
	record Registered(AuthClient client, @Nullable String secret, String registrationAccessToken) {
	}

}
