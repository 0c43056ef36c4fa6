/**
 * Spring's authorization server wired to Gatehouse: registered clients from the auth clients, the password grant and
 * the client credentials default scope, the form-body rules of the token endpoints, the token store and its cleanup,
 * client authentication with private key JWTs (RFC 7523) and their single use, the claims of the tokens, the
 * introspection and revocation policy, the JWT bearer authentication of the REST API, DPoP proofs (RFC 9449) with
 * their replay store shared by every node, and the OpenAPI description of the token endpoints.
 */
@ApplicationModule(allowedDependencies = { "clients", "cluster", "signin", "signing", "personaltokens", "secrets",
		"audit", "outbound", "usage" })
@NullMarked
package io.gatehouse.oauth;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
