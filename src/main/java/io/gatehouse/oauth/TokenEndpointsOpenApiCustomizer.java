package io.gatehouse.oauth;

import java.util.ArrayList;
import java.util.List;

import io.gatehouse.clients.GrantType;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.stereotype.Component;

import static io.gatehouse.oauth.TokenEndpointSchemas.enumOf;
import static io.gatehouse.oauth.TokenEndpointSchemas.form;
import static io.gatehouse.oauth.TokenEndpointSchemas.json;
import static io.gatehouse.oauth.TokenEndpointSchemas.ref;
import static io.gatehouse.oauth.TokenEndpointSchemas.tokenForm;

/**
 * Adds the OAuth 2.0 and OpenID Connect endpoints to the OpenAPI document. They are filters of the authorization
 * server, not MVC controllers, so springdoc cannot find them itself; this describes them as RFC 6749, 7009, 7636,
 * 7662, 8414, 8628, 9126 and OpenID Connect Core, Discovery and RP-Initiated Logout define them, with the grants this
 * server adds (the password grant).
 * Also adds the security schemes of those endpoints: client authentication and the OAuth flows with their scopes.
 */
@Component
class TokenEndpointsOpenApiCustomizer implements OpenApiCustomizer {

	static final String TAG = "OAuth 2.0 and OpenID Connect";

	/** The refresh grant is no grant type of a client's: the code and password grants bring it. */
	private static final String REFRESH_FIELDS = "refresh_token (each use rotates it; reusing an old one revokes the "
			+ "whole grant)";

	@Override
	public void customise(OpenAPI openApi) {
		if (openApi.getComponents() == null) {
			openApi.components(new Components());
		}
		Components components = openApi.getComponents();
		TokenEndpointSchemas.all().forEach(components::addSchemas);
		components.addSecuritySchemes("client", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
			.description("Client authentication (client_secret_basic): the client ID and secret as HTTP Basic "
					+ "credentials. client_secret_post sends them as the form fields client_id and client_secret "
					+ "instead; public clients send only client_id."));
		components.addSecuritySchemes("oauth2", new SecurityScheme().type(SecurityScheme.Type.OAUTH2)
			.description("Access tokens for the REST API, as the grants enabled for the client allow.")
			.flows(new OAuthFlows()
				.authorizationCode(new OAuthFlow().authorizationUrl("/oauth/authorize").tokenUrl("/oauth/token")
					.refreshUrl("/oauth/token").scopes(scopes()))
				.password(new OAuthFlow().tokenUrl("/oauth/token").refreshUrl("/oauth/token").scopes(scopes()))
				.clientCredentials(new OAuthFlow().tokenUrl("/oauth/token").scopes(scopes()))));
		openApi.addTagsItem(new Tag().name(TAG).description("The authorization server. Endpoint locations are "
				+ "published in the discovery documents; errors of the token, introspection and revocation endpoints "
				+ "are RFC 6749 5.2 JSON ({\"error\": \"invalid_grant\", ...}), not problem details. Those three take "
				+ "only POST (405 otherwise) with an application/x-www-form-urlencoded body; a parameter they read, "
				+ "above all a credential, in the query string is refused with invalid_request."));
		openApi.path("/oauth/authorize", new PathItem().get(authorize()));
		openApi.path("/oauth/par", new PathItem().post(pushedAuthorizationRequest()));
		openApi.path("/oauth/device_authorization", new PathItem().post(deviceAuthorization()));
		openApi.path("/oauth/token", new PathItem().post(token()));
		openApi.path("/oauth/introspect", new PathItem().post(introspect()));
		openApi.path("/oauth/revoke", new PathItem().post(revoke()));
		openApi.path("/oauth/jwks", new PathItem().get(operation("jwks", "The signing keys (JWK Set, RFC 7517)",
				"The public keys that verify access and ID tokens, including the next key before it signs and a "
						+ "retired key until its last token has expired. Cache it for minutes, not days.")
			.security(List.of())
			.responses(new ApiResponses().addApiResponse("200", json("The JWK Set", ref("JwkSet"))))));
		openApi.path("/userinfo", new PathItem().get(operation("userinfo", "Claims about the user (OpenID Connect)",
				"Needs an access token with the openid scope; profile adds the name claims and email the email.")
			.security(List.of(new SecurityRequirement().addList("bearer")))
			.responses(new ApiResponses().addApiResponse("200", json("The user's claims", ref("UserInfo")))
				.addApiResponse("401", new ApiResponse().description("Missing, invalid, expired or revoked token; "
						+ "WWW-Authenticate: Bearer error=\"invalid_token\"")))));
		openApi.path("/oauth/logout", new PathItem().get(logout()));
		openApi.path("/.well-known/oauth-authorization-server", new PathItem().get(discovery("oauthMetadata",
				"Authorization server metadata (RFC 8414)")));
		openApi.path("/.well-known/openid-configuration", new PathItem().get(discovery("openidConfiguration",
				"OpenID Provider configuration (OpenID Connect Discovery 1.0)")));
	}

	private static Scopes scopes() {
		Scopes scopes = new Scopes();
		scopes.addString(io.gatehouse.oauth.Scopes.API, "The whole REST API (/api/1.0), acting as the user within "
				+ "the permissions the user holds at each request");
		scopes.addString("openid", "Sign the user in: an ID token (authorization code grant)");
		scopes.addString("profile", "The user's name and username, in the ID token and from /userinfo");
		scopes.addString("email", "The user's email address, in the ID token and from /userinfo");
		return scopes;
	}

	private static Operation authorize() {
		return operation("authorize", "Start the authorization code grant (RFC 6749 4.1, PKCE RFC 7636)",
				"Open in the user's browser. A signed-out user is sent to the login page; then the consent page names "
						+ "the client and scopes (remembered until the user withdraws it on their profile). Finally "
						+ "redirects to redirect_uri with code and state, or with error and state (for example "
						+ "unsupported_response_type, invalid_scope, access_denied). An unknown client, a client "
						+ "without the authorization code grant, or an unregistered or malformed redirect_uri is never "
						+ "redirected to: the user sees an error page.")
			.security(List.of(new SecurityRequirement().addList("session")))
			.parameters(List.of(
					query("response_type", true, "Always code", enumOf("code")),
					query("client_id", true, "The client's ID", new StringSchema()),
					query("redirect_uri", false, "One of the client's registered redirect URLs, exactly; for a "
							+ "loopback http URL only the port may differ (RFC 8252). Needed when the client has "
							+ "more than one.", new StringSchema().format("uri")),
					query("scope", false, "Space-separated scopes: api, openid, profile, email", new StringSchema()),
					query("state", false, "Opaque value returned unchanged; use it against CSRF", new StringSchema()),
					query("code_challenge", false, "PKCE: BASE64URL(SHA-256(code_verifier)). Required for public "
							+ "clients, accepted from all.", new StringSchema()),
					query("code_challenge_method", false, "PKCE: only S256; plain is refused", enumOf("S256")),
					query("nonce", false, "OpenID Connect: copied into the ID token", new StringSchema()),
					query("request_uri", false, "Instead of all the above but client_id: the request_uri that "
							+ "/oauth/par returned (RFC 9126 4). Works once, within expires_in seconds, for that "
							+ "client only; otherwise the error page says invalid_request_uri. Required when the "
							+ "client has \"Require pushed authorization requests\" or the server requires them of "
							+ "all (GATEHOUSE_PAR_REQUIRED; discovery's require_pushed_authorization_requests).",
							new StringSchema())))
			.responses(new ApiResponses()
				.addApiResponse("302", new ApiResponse().description("To the login page, the consent page, or "
						+ "redirect_uri?code=...&state=... (or ?error=...&state=...)")
					.addHeaderObject("Location", new Header().schema(new StringSchema().format("uri"))))
				.addApiResponse("400", new ApiResponse().description("Error page: unknown client, client without "
						+ "the authorization code grant, or unregistered or malformed redirect_uri (never redirected "
						+ "to)")));
	}

	private static Operation pushedAuthorizationRequest() {
		return operation("pushedAuthorizationRequest", "Push an authorization request (RFC 9126)",
				"The client sends the parameters of /oauth/authorize here first, authenticated with its secret as "
						+ "at the token endpoint (confidential clients only), and gets a request_uri; the browser is "
						+ "then sent to /oauth/authorize with only client_id and request_uri. The request is checked "
						+ "as the authorization endpoint would (client, grant, redirect_uri, scope, PKCE) before it "
						+ "is stored. The request_uri works once and expires after expires_in seconds (at most 300).")
			.security(List.of(new SecurityRequirement().addList("client")))
			.requestBody(form(ref("PushedAuthorizationRequest")))
			.responses(new ApiResponses()
				.addApiResponse("201", json("The request URI", ref("PushedAuthorizationResponse")))
				.addApiResponse("400", json("RFC 6749 5.2 error: invalid_request (also for a request_uri sent "
						+ "here), invalid_scope, unauthorized_client", ref("OAuthError")))
				.addApiResponse("401", json("invalid_client (WWW-Authenticate: Basic)", ref("OAuthError")))
				.addApiResponse("405", json("Not POST", ref("OAuthError"))));
	}

	private static Operation deviceAuthorization() {
		return operation("deviceAuthorization", "Start the device authorization grant (RFC 8628)",
				"A client with the Device Authorization Grant enabled gets a device code and a user code. The device "
						+ "shows the user code and verification_uri (/device, a console page where the signed-in "
						+ "user types the code and allows or denies), then polls the token endpoint with grant_type "
						+ "urn:ietf:params:oauth:grant-type:device_code no faster than interval. Wrong user codes "
						+ "on /device are limited to 10 per user in 15 minutes.")
			.security(List.of(new SecurityRequirement().addList("client")))
			.requestBody(form(ref("DeviceAuthorizationRequest")))
			.responses(new ApiResponses()
				.addApiResponse("200", json("The codes", ref("DeviceAuthorizationResponse")))
				.addApiResponse("400", json("RFC 6749 5.2 error: invalid_request, invalid_scope, "
						+ "unauthorized_client (the grant is not enabled)", ref("OAuthError")))
				.addApiResponse("401", json("invalid_client (WWW-Authenticate: Basic)", ref("OAuthError")))
				.addApiResponse("405", json("Not POST", ref("OAuthError"))));
	}

	private static Operation token() {
		return operation("token", "Get tokens (RFC 6749 section 3.2)",
				"grant_type " + tokenRequests() + " Each grant works only while the client has it enabled "
						+ "(unauthorized_client otherwise); any other grant_type is unsupported_grant_type. "
						+ "DPoP (RFC 9449): with a DPoP header the access token is bound to the proof's key "
						+ "(token_type DPoP, cnf.jkt); a proof that is malformed, for another method or URL, older "
						+ "than 25 s or used before (on any node) is invalid_dpop_proof, and so is a request without "
						+ "one from a client with require_dpop. When the server requires nonces, a proof without "
						+ "the current one is use_dpop_nonce, with the nonce in the DPoP-Nonce header.")
			.security(List.of(new SecurityRequirement().addList("client"), new SecurityRequirement()))
			.addParametersItem(new Parameter().in("header").name("DPoP").required(false)
				.description("A DPoP proof JWT (RFC 9449 4): typ dpop+jwt, an RS, PS or ES algorithm, the public "
						+ "jwk, and htm POST, htu this endpoint's URL, iat, jti (and nonce when asked for)")
				.schema(new StringSchema()))
			.requestBody(form(ref("TokenRequest")))
			.responses(new ApiResponses()
				.addApiResponse("200", json("The tokens (Cache-Control: no-store)", ref("TokenResponse")))
				.addApiResponse("400", json("RFC 6749 5.2 error (also invalid_dpop_proof and use_dpop_nonce, RFC 9449)",
						ref("OAuthError")))
				.addApiResponse("401", json("invalid_client: no client authentication, unknown client or wrong "
						+ "secret (WWW-Authenticate: Basic)", ref("OAuthError")))
				.addApiResponse("405", json("Not POST", ref("OAuthError"))));
	}

	/**
	 * What each grant's token request sends, from {@link GrantType}, in its order: "authorization_code: code, ...",
	 * the refresh grant after the first grant that brings it.
	 */
	private static String tokenRequests() {
		List<String> requests = new ArrayList<>();
		boolean refresh = false;
		for (GrantType grant : GrantType.values()) {
			if (grant.tokenRequestFields() == null || grant.recordedAs().isEmpty()) {
				continue;
			}
			requests.add(grant.recordedAs().get().getValue() + ": " + grant.tokenRequestFields() + ".");
			if (!refresh && grant.tokenEndpointGrants().contains(AuthorizationGrantType.REFRESH_TOKEN)) {
				requests.add(AuthorizationGrantType.REFRESH_TOKEN.getValue() + ": " + REFRESH_FIELDS + ".");
				refresh = true;
			}
		}
		return String.join(" ", requests);
	}

	private static Operation introspect() {
		return operation("introspect", "Is a token active? (RFC 7662)",
				"A client learns about the tokens issued to it; a client marked \"May introspect tokens of other "
						+ "clients\" (a resource server) about any token. An unknown, expired or revoked token, and "
						+ "another client's token for any other caller, answers only {\"active\": false}.")
			.security(List.of(new SecurityRequirement().addList("client")))
			.requestBody(form(tokenForm()))
			.responses(new ApiResponses()
				.addApiResponse("200", json("The token's state and claims", ref("IntrospectionResponse")))
				.addApiResponse("400", json("invalid_request: no token, or a parameter in the query string",
						ref("OAuthError")))
				.addApiResponse("401", json("invalid_client (WWW-Authenticate: Basic)", ref("OAuthError"))));
	}

	private static Operation revoke() {
		return operation("revoke", "Revoke a token (RFC 7009)",
				"Revoking a refresh token or an access token ends it at once. 200 also for an unknown or already "
						+ "revoked token. A token issued to another client is refused (unauthorized_client) and stays "
						+ "valid; a personal access token is unsupported_token_type (its owner revokes it).")
			.security(List.of(new SecurityRequirement().addList("client")))
			.requestBody(form(tokenForm()))
			.responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("Revoked (empty body)"))
				.addApiResponse("400", json("invalid_request, unauthorized_client or unsupported_token_type",
						ref("OAuthError")))
				.addApiResponse("401", json("invalid_client (WWW-Authenticate: Basic)", ref("OAuthError"))));
	}

	private static Operation logout() {
		return operation("logout", "End the user's session (OpenID Connect RP-Initiated Logout 1.0)",
				"Open in the user's browser (POST with the same form fields works too). Ends the console session "
						+ "when id_token_hint is an ID token this server issued to the client for the signed-in "
						+ "user, and revokes the user's tokens for the client when it has revoke_tokens_on_logout; "
						+ "then redirects to post_logout_redirect_uri with state.")
			.security(List.of(new SecurityRequirement().addList("session")))
			.parameters(List.of(
					query("id_token_hint", true, "An ID token the client got for the user (expired ones too)",
							new StringSchema()),
					query("client_id", false, "The client's ID; must match the ID token's audience",
							new StringSchema()),
					query("post_logout_redirect_uri", false, "One of the client's post-logout redirect URLs, "
							+ "exactly", new StringSchema().format("uri")),
					query("state", false, "Returned unchanged to post_logout_redirect_uri", new StringSchema())))
			.responses(new ApiResponses()
				.addApiResponse("302", new ApiResponse().description("To post_logout_redirect_uri?state=..., or to "
						+ "this server's start page without one")
					.addHeaderObject("Location", new Header().schema(new StringSchema().format("uri"))))
				.addApiResponse("400", new ApiResponse().description("Error page: unknown or foreign "
						+ "id_token_hint, or unregistered post_logout_redirect_uri; the session is kept")));
	}

	private static Operation discovery(String id, String summary) {
		return operation(id, summary, "Where the endpoints are, and what this server supports (grant types, PKCE "
				+ "methods, signing algorithms, scopes). The issuer is GATEHOUSE_ISSUER, or the server's base URL.")
			.security(List.of())
			.responses(new ApiResponses().addApiResponse("200", json("The metadata", ref("ServerMetadata"))));
	}

	private static Operation operation(String id, String summary, String description) {
		return new Operation().operationId(id).summary(summary).description(description).addTagsItem(TAG);
	}

	private static Parameter query(String name, boolean required, String description, Schema<?> schema) {
		return new Parameter().in("query").name(name).required(required).description(description).schema(schema);
	}

}
