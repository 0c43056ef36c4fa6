package io.gatehouse.oauth;

import java.util.Collections;

import jakarta.servlet.http.HttpServletRequest;

import io.gatehouse.oauth.DPoPProofs.DPoPProofException;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * The token endpoint's DPoP checks (RFC 9449 5), before Spring's grant converters and providers see the request:
 * {@link DPoPProofs#checkBeforeSignature} checks the proof's header and claims (with the server's nonce when it asks
 * for one); a client with "Require DPoP" must send one. Spring's grant provider then verifies the proof's signature,
 * which is the one verification of it in the request, and binds the tokens it issues to the proof's key
 * ({@code cnf.jkt}, {@code token_type: DPoP}); just before the access token is signed, {@link AccessTokenClaims}
 * records the proof's {@code jti} in the database, so a proof replayed to another node is refused (Spring's own
 * replay check remembers proofs on one node only). The password grant, which is Gatehouse's own, issues bearer
 * tokens only, so a proof sent with it is refused rather than ignored.
 */
final class DPoPTokenRequestConverter implements AuthenticationConverter {

	static final String DPOP = "DPoP";

	static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc9449#section-5";

	private final AuthenticationConverter grants;

	private final DPoPProofs proofs;

	/** The request attribute holding the nonce for the {@code DPoP-Nonce} header of a {@code use_dpop_nonce}. */
	static final String NONCE_ATTRIBUTE = DPoPTokenRequestConverter.class.getName() + ".nonce";

	private final DPoPNonces nonces;

	private final boolean nonceRequired;

	DPoPTokenRequestConverter(AuthenticationConverter grants, DPoPProofs proofs, DPoPNonces nonces,
			boolean nonceRequired) {
		this.grants = grants;
		this.proofs = proofs;
		this.nonces = nonces;
		this.nonceRequired = nonceRequired;
	}

	@Override
	public @Nullable Authentication convert(HttpServletRequest request) {
		// the grant's own parameters first: an invalid request does not use up the proof
		Authentication grant = grants.convert(request);
		if (grant == null) {
			return null;
		}
		String proof = request.getHeader(DPOP);
		if (proof == null || proof.isBlank()) {
			RegisteredClient client = authenticatedClient();
			if (client != null && Boolean.TRUE.equals(client.getClientSettings()
				.<Boolean>getSetting(AuthClientRegisteredClientRepository.REQUIRE_DPOP))) {
				// RFC 9449 5.2 (dpop_bound_access_tokens): such a client's token requests must carry a proof
				throw error(DPoPProofException.INVALID_DPOP_PROOF, "This client must send a DPoP proof.");
			}
			return grant;
		}
		if (Collections.list(request.getHeaders(DPOP)).size() != 1) {
			throw error(OAuth2ErrorCodes.INVALID_REQUEST, "Send one DPoP header.");
		}
		if (grant instanceof PasswordGrantAuthenticationToken) {
			throw error(OAuth2ErrorCodes.INVALID_REQUEST, "The password grant issues bearer tokens only.");
		}
		try {
			proofs.checkBeforeSignature(proof, request.getMethod(), request.getRequestURL().toString(), nonceRequired);
		}
		catch (DPoPProofException ex) {
			if (DPoPProofException.USE_DPOP_NONCE.equals(ex.error())) {
				// RFC 9449 8: the nonce to use goes back in the DPoP-Nonce header
				request.setAttribute(NONCE_ATTRIBUTE, nonces.current());
			}
			throw error(ex.error(), ex.getMessage());
		}
		return grant;
	}

	private static @Nullable RegisteredClient authenticatedClient() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return authentication instanceof OAuth2ClientAuthenticationToken client ? client.getRegisteredClient() : null;
	}

	private static OAuth2AuthenticationException error(String code, @Nullable String description) {
		return new OAuth2AuthenticationException(new OAuth2Error(code, description, ERROR_URI));
	}

}
